// Needs: small enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // The area search only works with htmx, so it is shown only when scripts run.
  document.querySelectorAll("[data-js-only]").forEach((el) => { el.hidden = false; });
  // Enter in the search box must not submit the whole need form.
  const search = document.getElementById("id_area_q");
  if (search) {
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }
});
