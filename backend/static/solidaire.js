// Confirmation before what cannot be undone: a form marked data-confirm asks first, in the
// page's language (the message comes from the page). Without JavaScript the form is sent as is.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// On a phone the main menu folds behind a "Menu" button (its name comes from the page's data-menu
// attribute, in the page's language); on a wide screen the button is hidden by the style sheet.
document.addEventListener("DOMContentLoaded", function () {
  var nav = document.querySelector(".site-nav");
  if (!nav || !nav.dataset.menu) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "menu-button button-small button-secondary";
  button.textContent = nav.dataset.menu;
  button.setAttribute("aria-expanded", "false");
  nav.classList.add("folded");
  button.addEventListener("click", function () {
    var folded = nav.classList.toggle("folded");
    button.setAttribute("aria-expanded", folded ? "false" : "true");
  });
  nav.insertBefore(button, nav.firstChild);
});
