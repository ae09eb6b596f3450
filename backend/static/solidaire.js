// Confirmation before what cannot be undone: a form marked data-confirm asks first, in the
// page's language (the message comes from the page). Without JavaScript the form is sent as is.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
