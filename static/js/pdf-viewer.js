// Inline PDF viewer for document lessons, built on the vendored pdf.js (static/vendor/pdfjs).
// Progressive enhancement: the page always has "Open the PDF" and "Download" links; this module shows
// the viewer only when pdf.js loads and the document opens. pdf.js fetches the file with HTTP Range
// requests, so a long document starts showing before it has fully arrived.

const ZOOM_STEP = 1.25;
const MIN_SCALE = 0.25;
const MAX_SCALE = 5;

async function setUp(root) {
  const $ = (selector) => root.querySelector(selector);
  const canvas = $('[data-role="canvas"]');
  const pageLabel = $('[data-role="page"]');
  const status = $('[data-role="status"]');
  const buttons = {
    prev: $('[data-action="prev"]'),
    next: $('[data-action="next"]'),
    zoomIn: $('[data-action="zoom-in"]'),
    zoomOut: $('[data-action="zoom-out"]'),
  };
  const wrap = $(".pdf-canvas-wrap");

  root.hidden = false;
  status.textContent = root.dataset.loadingLabel;

  let pdf;
  try {
    const lib = await import(root.dataset.lib);
    lib.GlobalWorkerOptions.workerSrc = root.dataset.worker;
    pdf = await lib.getDocument({ url: root.dataset.pdf, isEvalSupported: false, withCredentials: true }).promise;
  } catch (err) {
    console.error("pdf viewer:", err);
    status.textContent = root.dataset.errorLabel;
    root.querySelector(".pdf-toolbar").hidden = true;
    canvas.hidden = true;
    return;
  }
  status.textContent = "";

  let pageNumber = 1;
  let scale = null; // null: fit the page to the width available
  let renderTask = null;
  let pending = false;

  function fitScale(page) {
    const style = getComputedStyle(wrap);
    const padding = (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0);
    const width = (wrap.clientWidth || root.clientWidth || 360) - padding;
    return Math.min(MAX_SCALE, Math.max(MIN_SCALE, width / page.getViewport({ scale: 1 }).width));
  }

  async function render() {
    if (renderTask) { // a click while rendering: cancel and draw the newest request
      pending = true;
      renderTask.cancel();
      return;
    }
    const page = await pdf.getPage(pageNumber);
    if (scale === null) scale = fitScale(page);
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale });
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`; // CSSOM, allowed by the CSP
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    renderTask = page.render({
      canvas,
      viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    try {
      await renderTask.promise;
    } catch (err) {
      if (err && err.name !== "RenderingCancelledException") {
        console.error("pdf viewer:", err);
        status.textContent = root.dataset.errorLabel;
      }
    }
    renderTask = null;
    pageLabel.textContent = root.dataset.pageLabel
      .replace("{page}", String(pageNumber)).replace("{pages}", String(pdf.numPages));
    buttons.prev.disabled = pageNumber <= 1;
    buttons.next.disabled = pageNumber >= pdf.numPages;
    buttons.zoomOut.disabled = scale <= MIN_SCALE;
    buttons.zoomIn.disabled = scale >= MAX_SCALE;
    if (pending) {
      pending = false;
      render();
    }
  }

  function go(delta) {
    const target = Math.min(pdf.numPages, Math.max(1, pageNumber + delta));
    if (target !== pageNumber) {
      pageNumber = target;
      render();
    }
  }

  function zoom(factor) {
    scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    render();
  }

  buttons.prev.addEventListener("click", () => go(-1));
  buttons.next.addEventListener("click", () => go(1));
  buttons.zoomIn.addEventListener("click", () => zoom(ZOOM_STEP));
  buttons.zoomOut.addEventListener("click", () => zoom(1 / ZOOM_STEP));
  root.addEventListener("keydown", (event) => {
    if (event.target.closest("button") && (event.key === "Enter" || event.key === " ")) return;
    if (event.key === "ArrowLeft" || event.key === "PageUp") { go(-1); event.preventDefault(); }
    if (event.key === "ArrowRight" || event.key === "PageDown") { go(1); event.preventDefault(); }
  });
  await render();
}

for (const root of document.querySelectorAll(".pdf-viewer[data-pdf]")) {
  setUp(root);
}
