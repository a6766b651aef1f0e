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
