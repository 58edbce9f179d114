// The agenda's Print button. Without JavaScript the browser's own Print menu does the same.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
