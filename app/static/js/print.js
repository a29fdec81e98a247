// The print sheet's "Print" button (an inline onclick would be refused by the Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
