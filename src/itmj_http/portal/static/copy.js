// The copy button beside a secret shown once. Without JavaScript (or a clipboard) the button
// stays hidden and the secret is plain text to select and copy.
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  var target = document.getElementById(button.getAttribute("data-copy-target"));
  if (!target || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(target.textContent.trim()).then(
      function () { button.textContent = "Copied"; },
      function () { button.textContent = "Copy failed: select the key and copy it"; }
    );
  });
});
