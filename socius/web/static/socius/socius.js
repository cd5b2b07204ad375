// Keyboard help for the header search: Escape closes the results, "/" focuses the box.
document.addEventListener("keydown", function (event) {
  var input = document.getElementById("header-search-input");
  var results = document.getElementById("header-search-results");
  if (!input) return;
  if (event.key === "/" && document.activeElement === document.body) {
    event.preventDefault();
    input.focus();
  } else if (event.key === "Escape" && results && results.innerHTML) {
    results.innerHTML = "";
    input.focus();
  }
});
