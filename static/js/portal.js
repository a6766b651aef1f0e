// Small progressive enhancements; every page works without JavaScript (CSP: no inline scripts).
document.addEventListener("DOMContentLoaded", () => {
  // The skip link moves keyboard focus into <main> (tabindex="-1"), also in browsers that only
  // scroll to the fragment.
  const skip = document.querySelector(".skip-link");
  const main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", (event) => {
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }

  // Close the phone menu with Escape and return focus to its toggle.
  const menu = document.getElementById("site-menu");
  if (menu) {
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open && window.getComputedStyle(menu.querySelector("summary")).display !== "none") {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }
  // The language switcher deliberately does NOT submit on change: WCAG 3.2.2 (On Input) forbids a
  // change of context while someone arrows through the options; the "Change" button submits.
});

// A table wider than a phone scrolls inside its .table-wrap. Keyboard users must be able to
// scroll it too (WCAG 2.1.1), so a wrap that actually overflows becomes a focusable, named region.
function markScrollableTables() {
  document.querySelectorAll(".table-wrap").forEach((wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        const caption = wrap.querySelector("caption");
        const heading = caption ? caption.textContent.trim() : "";
        wrap.setAttribute("aria-label", heading || document.documentElement.dataset.tableLabel || "Table");
      }
    } else if (wrap.getAttribute("role") === "region" && !wrap.dataset.keepRegion) {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
document.addEventListener("htmx:afterSettle", markScrollableTables);

// The error summary takes focus when a form comes back with errors, and its links move focus to
// the field itself (a fragment link alone only scrolls).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: "center" });
  });
});

// The competence-area picker (portal.widgets.AreaPicker), one component for the survey (radio
// buttons) and the offer form (checkboxes): a search box filters the areas by code, label in
// bokmål, nynorsk or English, and synonym ("HMS", "IK-Mat"); a chosen area always stays
// visible. The words are folded as `portal.widgets.fold` does, so "tomrer" finds "Tømrer".
// Without JavaScript every area shows and the search box stays hidden.
function foldWords(text) {
  const spelled = text.toLocaleLowerCase().replace(/æ/g, "ae").replace(/ø/g, "o")
    .replace(/[åä]/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
  return spelled.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-area-picker]").forEach((picker) => {
    picker.querySelectorAll("[data-js-only]").forEach((el) => { el.hidden = false; });
    const search = picker.querySelector("[data-area-search]");
    const count = picker.querySelector("[data-area-count]");
    if (!search) return;
    search.addEventListener("keydown", (event) => {
      // Enter in the search box must not submit the whole form.
      if (event.key === "Enter") { event.preventDefault(); }
    });
    search.addEventListener("input", () => {
      const words = foldWords(search.value.trim()).split(/\s+/).filter(Boolean);
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
