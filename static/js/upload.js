// Upload progress for the import page: htmx reports XHR progress, we show it in the <progress> bar.
// The words come from Django's JavaScript catalog (the person's language); without it, English.
{
const _ = window.gettext || ((text) => text);
const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (whole, key) => values[key]);
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("upload-progress");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  const status = document.getElementById("upload-status");
  status.textContent = bar.value < 100 ? fmt(_("Uploading… %(percent)s"), { percent: bar.value + "%" }) : _("Importing…");
});
document.addEventListener("htmx:afterRequest", (event) => {
  const bar = document.getElementById("upload-progress");
  if (bar) bar.hidden = true;
  const status = document.getElementById("upload-status");
  if (!status) return;
  status.textContent = "";
  status.classList.remove("error");
  // The server failed or could not keep the files (503: its database is away; 507: its disk is full; no
  // answer at all): say so where the progress was, with the server's own words when it gave some.
  const xhr = event.detail.xhr;
  if (bar && xhr && (xhr.status === 0 || xhr.status >= 500)) {
    let message = "";
    try { message = JSON.parse(xhr.responseText).detail || ""; } catch (e) { /* a page, not JSON */ }
    status.textContent = message || (xhr.status ? fmt(_("The server failed (HTTP %(status)s); nothing was imported. Try again."), { status: xhr.status })
                                                : _("The server could not be reached; nothing was imported. Try again."));
    status.classList.add("error");
  }
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
}
