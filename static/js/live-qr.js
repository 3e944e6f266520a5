// The hall's attendance QR code: a new signed code every period (30 s), fetched as an SVG image.
const box = document.querySelector('[data-role="qr"]');
if (box) {
  const img = box.querySelector("img");
  const period = Number(box.dataset.period || 30) * 1000;
  const refresh = () => { img.src = `${box.dataset.src}?t=${Date.now()}`; };
  // change with the server's time windows, then every period
  setTimeout(() => { refresh(); setInterval(refresh, period); }, period - (Date.now() % period) + 200);
}
