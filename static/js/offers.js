// Catalogue: progressive enhancement only; the GET form works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("catalogue-filters");
  if (!form) return;
  // "Online only" and a distance are contradictory: disable the distance while online only.
  const online = document.getElementById("id_online_only");
  const distance = document.getElementById("id_distance_km");
  if (online && distance) {
    const sync = () => { distance.disabled = online.checked; };
    online.addEventListener("change", sync);
    sync();
  }
});

// The offer form's area picker: a search box filters the checkboxes by label and synonym
// ("HMS", "IK-Mat"); ticked boxes always stay visible. Without JavaScript all boxes show.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-area-picker]").forEach((picker) => {
    picker.querySelectorAll("[data-js-only]").forEach((el) => { el.hidden = false; });
    const search = picker.querySelector("[data-area-search]");
    const count = picker.querySelector("[data-area-count]");
    if (!search) return;
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    search.addEventListener("input", () => {
      const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      picker.querySelectorAll(".area-group").forEach((group) => {
        const groupHit = words.every((w) => group.dataset.words.includes(w));
        let anyChild = false;
        group.querySelectorAll(".area-children > li").forEach((li) => {
          const box = li.querySelector("input");
          const hit = !words.length || groupHit || box.checked
            || words.every((w) => li.dataset.words.includes(w));
          li.hidden = !hit;
          if (hit) { anyChild = true; shown += 1; }
        });
        const topBox = group.querySelector(":scope > input");
        group.hidden = !(anyChild || groupHit || topBox.checked || !words.length);
      });
      if (count) {
        count.hidden = !words.length;
        const total = picker.querySelectorAll(".area-children > li").length;
        const template = count.dataset.template || "SHOWN / TOTAL";
        count.textContent = words.length
          ? template.replace("SHOWN", String(shown)).replace("TOTAL", String(total)) : "";
      }
    });
  });
});
