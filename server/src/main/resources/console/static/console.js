// Gatepass console: the only script. Everything works without it; it adds the copy buttons' clipboard writes.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const said = document.getElementById("copied");
  field.select();
  navigator.clipboard.writeText(field.value).then(
    () => { if (said) said.textContent = "Copied."; },
    () => { if (said) said.textContent = "Select the text and copy it (the browser refused)."; });
});
