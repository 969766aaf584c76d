// Upload progress for the import page: htmx reports XHR progress, we show it in the <progress> bar.
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("upload-progress");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  const status = document.getElementById("upload-status");
  status.textContent = bar.value < 100 ? `Uploading… ${bar.value}%` : "Importing…";
});
document.addEventListener("htmx:afterRequest", () => {
  const bar = document.getElementById("upload-progress");
  if (bar) bar.hidden = true;
  const status = document.getElementById("upload-status");
  if (status) status.textContent = "";
});
// A refused import (400: the report of what is wrong; 413: too large for the page) is shown like a
// successful one: htmx swaps only 2xx answers unless told otherwise.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (event.detail.target.id === "import-result" && (status === 400 || status === 413)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
