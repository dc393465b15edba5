// Show the "Print this page" buttons (hidden without JavaScript, where the browser's own
// print command is the way) and let them print.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
