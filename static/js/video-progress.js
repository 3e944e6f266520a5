// Video lessons: report how much of the video was watched, and where the learner stopped.
// Reports {share, position} to the lesson's progress URL every ~15 s while playing and on pause, end and
// leaving the page. The server keeps the highest share ever reported, so a retried, lost or out-of-order
// report changes nothing; on a dropping connection the next report simply carries the newest figures.
// Without JavaScript the video still plays (progress then cannot be measured).

const REPORT_EVERY_MS = 15000;

function setUp(video) {
  const url = video.dataset.progressUrl;
  const token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const shareOut = document.querySelector('[data-role="watched-share"]');
  let knownShare = Math.min(1, Math.max(0, parseFloat(video.dataset.share) || 0));
  const resumeAt = Math.max(0, parseFloat(video.dataset.position) || 0);
  let last = { share: knownShare, position: resumeAt };
  let inFlight = false;

  // The share watched: what the server already knew (taken as watched from the start) joined with every
  // range played in this visit, so skipping ahead does not count as watching.
  function watchedShare() {
    const duration = video.duration;
    if (!Number.isFinite(duration) || duration <= 0) return null;
    const ranges = [[0, knownShare * duration]];
    for (let i = 0; i < video.played.length; i += 1) ranges.push([video.played.start(i), video.played.end(i)]);
    ranges.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [start, end] = ranges[0];
    for (const [s, e] of ranges.slice(1)) {
      if (s > end) { total += end - start; [start, end] = [s, e]; } else { end = Math.max(end, e); }
    }
    total += end - start;
    return Math.min(1, Math.max(0, total / duration));
  }

  async function report(force, leaving = false) {
    const share = watchedShare();
    if (share === null || (inFlight && !leaving)) return;
    const position = video.ended ? 0 : video.currentTime;
    const changed = share > last.share + 0.001 || Math.abs(position - last.position) >= 1;
    if (!changed && !force) return;
    const body = JSON.stringify({ share: Math.round(share * 10000) / 10000, position: Math.round(position * 10) / 10 });
    inFlight = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: leaving,
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body,
      });
      if (response.ok) {
        const data = await response.json();
        last = { share: Math.max(last.share, share), position };
        if (data.recorded) {
          knownShare = Math.max(knownShare, data.share);
          if (shareOut) shareOut.textContent = String(Math.round(knownShare * 100));
        }
      }
    } catch (err) {
      // Offline or the link dropped: the next report carries the same (or newer) figures.
    } finally {
      inFlight = false;
    }
  }

  video.addEventListener("loadedmetadata", () => {
    if (resumeAt > 1 && resumeAt < video.duration - 3) video.currentTime = resumeAt;
  });
  video.addEventListener("pause", () => report(true));
  video.addEventListener("ended", () => report(true));
  setInterval(() => { if (!video.paused) report(false); }, REPORT_EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") report(false, true);
  });
  window.addEventListener("pagehide", () => report(false, true));
}

for (const video of document.querySelectorAll("video.lesson-video[data-progress-url]")) {
  setUp(video);
}
