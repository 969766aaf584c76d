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
