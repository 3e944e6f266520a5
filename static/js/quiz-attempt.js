// Quiz attempt page: autosave with an offline queue, the server-kept timer, submit with confirmation.
//
// Every change is put in a queue kept in localStorage (so a closed tab or a dropped connection loses nothing)
// under an increasing sequence number, and sent to the server on change and every N seconds. An entry leaves
// the queue only when the server acknowledges a sequence number at least as high as its own. The server keeps
// the time: the page counts down from the seconds the server last reported (measured with the monotonic clock,
// never the device's date) and asks the server when the time is up.
const root = document.getElementById("quiz-attempt");

if (root) {
  const d = root.dataset;
  const KEY = `elearn-quiz-attempt-${d.attempt}`;
  const form = document.getElementById("answers-form");
  const savedEl = root.querySelector("[data-saved]");
  const alertEl = root.querySelector("[data-alert]");
  const timerEl = root.querySelector("[data-timer]");
  const autosaveMs = Math.max(5, parseInt(d.autosave || "20", 10)) * 1000;
  const page = d.page === "" ? null : parseInt(d.page, 10);

  let store = load();
  store.seq = Math.max(store.seq || 0, parseInt(d.lastSeq || "0", 10));
  let inFlight = false;
  let failures = 0;
  let retryTimer = null;
  let closed = false;

  function load() {
    try {
      const data = JSON.parse(localStorage.getItem(KEY) || "{}");
      return { seq: data.seq || 0, pending: data.pending || {} };
    } catch (e) {
      return { seq: 0, pending: {} };
    }
  }
  function persist() {
    try { localStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* storage full: the server copy remains */ }
  }
  function pendingCount() { return Object.keys(store.pending).length; }

  function say(text, isError) {
    if (!alertEl) return;
    alertEl.hidden = !text;
    alertEl.textContent = text || "";
    alertEl.classList.toggle("error", !!isError);
  }
  function status(text) { if (savedEl) savedEl.textContent = text; }

  // ---- reading and writing the form ------------------------------------------------------------------------------
  function valueOf(box) {
    const type = box.dataset.type;
    if (type === "multichoice") {
      const checked = [...box.querySelectorAll("input:checked")].map((i) => parseInt(i.value, 10));
      return box.dataset.single === "1" ? (checked.length ? checked[0] : null) : checked;
    }
    if (type === "truefalse") {
      const c = box.querySelector("input:checked");
      return c ? c.value === "true" : null;
    }
    if (type === "matching") {
      const out = {};
      box.querySelectorAll("select").forEach((s) => { if (s.value) out[s.dataset.stem] = s.value; });
      return out;
    }
    const field = box.querySelector("input[type=text], textarea");
    return field ? field.value : null;
  }
  function show(box, value) {
    const type = box.dataset.type;
    if (type === "multichoice") {
      const wanted = Array.isArray(value) ? value : (value === null ? [] : [value]);
      box.querySelectorAll("input").forEach((i) => { i.checked = wanted.includes(parseInt(i.value, 10)); });
    } else if (type === "truefalse") {
      box.querySelectorAll("input").forEach((i) => { i.checked = value !== null && i.value === String(value); });
    } else if (type === "matching") {
      box.querySelectorAll("select").forEach((s) => { s.value = (value && value[s.dataset.stem]) || ""; });
    } else {
      const field = box.querySelector("input[type=text], textarea");
      if (field) field.value = value || "";
    }
  }
  function answered(value) {
    if (value === null || value === undefined || value === "") return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") return Object.keys(value).length > 0;
    return true;
  }
  function markNav(slot, value) {
    const nav = root.querySelector(`[data-qnav="${slot}"]`);
    if (nav) nav.classList.toggle("answered", answered(value));
  }

  function record(box) {
    const slot = box.dataset.slot;
    const value = valueOf(box);
    store.seq += 1;
    store.pending[slot] = { value, seq: store.seq };
    persist();
    markNav(slot, value);
    status(d.msgSaving);
    schedule(300);
  }

  // ---- sending -----------------------------------------------------------------------------------------------------
  function schedule(ms) {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => { retryTimer = null; flush(); }, ms);
  }

  async function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-Attempt-Token": d.token, Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  async function flush() {
    if (inFlight || closed || !pendingCount()) return pendingCount() === 0;
    inFlight = true;
    const answers = {};
    let seq = 0;
    for (const [slot, entry] of Object.entries(store.pending)) {
      answers[slot] = entry.value;
      seq = Math.max(seq, entry.seq);
    }
    try {
      const response = await post(d.saveUrl, { seq, answers, page });
      let data = {};
      try { data = await response.json(); } catch (e) { data = {}; }
      if (response.ok) {
        for (const [slot, entry] of Object.entries(store.pending)) {
          if (entry.seq <= data.seq) delete store.pending[slot];
        }
        persist();
        failures = 0;
        say("");
        status(d.msgSaved.replace("%(time)s", data.saved_at_local || ""));
        syncTimer(data.seconds_left);
      } else if (response.status === 409) {
        closed = data.state && data.state !== "in_progress";
        if (closed) { finishClosed(data); return false; }
        say(data.error || d.msgTimeup, true);
      } else if (response.status === 400 && data.slot) {
        delete store.pending[String(data.slot)];
        persist();
        say(`${d.msgRefused} ${data.error || ""}`, true);
      } else if (response.status >= 500) {
        throw new Error(`server ${response.status}`);
      } else {
        say(data.error || `${response.status}`, true);  // signed out, or not allowed: keep the queue
        failures += 1;
        schedule(Math.min(30000, 2000 * 2 ** failures));
      }
    } catch (e) {
      failures += 1;
      say(navigator.onLine === false ? d.msgOffline : d.msgPending, false);
      schedule(Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
    } finally {
      inFlight = false;
    }
    if (pendingCount() && !retryTimer && !closed) schedule(200);
    return pendingCount() === 0;
  }

  async function flushAll(timeoutMs) {
    const until = performance.now() + timeoutMs;
    while (pendingCount() && performance.now() < until && !closed) {
      if (!inFlight) {
        const ok = await flush();
        if (!ok && failures) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return pendingCount() === 0;
  }

  function finishClosed(data) {
    closed = true;
    store.pending = {};
    persist();
    const target = data.state === "overdue" ? d.summaryUrl : d.reviewUrl;
    if (!d.summary || data.state !== "overdue") window.location.assign(target);
  }

  // ---- timer -------------------------------------------------------------------------------------------------------
  let deadlineAt = null;
  function syncTimer(secondsLeft) {
    if (secondsLeft === null || secondsLeft === undefined || secondsLeft === "") return;
    deadlineAt = performance.now() + Number(secondsLeft) * 1000;
  }
  function fmt(total) {
    const s = Math.max(0, Math.ceil(total));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  }
  let timeUpHandled = false;
  async function timeUp() {
    if (timeUpHandled) return;
    timeUpHandled = true;
    say(d.msgTimeup, true);
    await flushAll(3000);
    const poll = async () => {
      try {
        const response = await fetch(d.stateUrl, { credentials: "same-origin", cache: "no-store" });
        const data = await response.json();
        if (data.state !== "in_progress") { finishClosed(data); return; }
        syncTimer(data.seconds_left);
        timeUpHandled = data.seconds_left > 0 ? false : timeUpHandled;
      } catch (e) { /* offline: ask again */ }
      if (!closed) setTimeout(poll, 2000);
    };
    poll();
  }
  syncTimer(d.secondsLeft);
  if (timerEl) {
    const tick = () => {
      if (deadlineAt === null) return;
      const left = (deadlineAt - performance.now()) / 1000;
      timerEl.textContent = fmt(left);
      root.classList.toggle("time-short", left < 120);
      if (left <= 0) timeUp();
    };
    tick();
    setInterval(tick, 500);
  }
  setInterval(async () => {  // keep the timer honest after a phone slept
    if (closed || deadlineAt === null) return;
    try {
      const response = await fetch(d.stateUrl, { credentials: "same-origin", cache: "no-store" });
      const data = await response.json();
      if (data.state && data.state !== "in_progress" && !d.summary) { finishClosed(data); return; }
      syncTimer(data.seconds_left);
    } catch (e) { /* offline */ }
  }, 60000);

  // ---- wiring ------------------------------------------------------------------------------------------------------
  if (form) {
    // answers kept on this device from before a reload or a lost connection take precedence over the page
    for (const [slot, entry] of Object.entries(store.pending)) {
      const box = form.querySelector(`[data-slot="${slot}"]`);
      if (box) { show(box, entry.value); markNav(slot, entry.value); }
    }
    let typing = null;
    form.addEventListener("change", (e) => {
      const box = e.target.closest("[data-slot]");
      if (box) record(box);
    });
    form.addEventListener("input", (e) => {
      const box = e.target.closest("[data-slot]");
      if (!box || !e.target.matches("input[type=text], textarea")) return;
      if (typing) clearTimeout(typing);
      typing = setTimeout(() => record(box), 800);
    });
    form.addEventListener("submit", (e) => e.preventDefault());
  }
  window.addEventListener("online", () => { say(""); failures = 0; flush(); });
  window.addEventListener("offline", () => say(d.msgOffline, false));
  setInterval(() => { if (pendingCount()) flush(); }, autosaveMs);
  window.addEventListener("beforeunload", (e) => {
    if (pendingCount() && !closed) { flush(); e.preventDefault(); }
  });
  if (pendingCount()) flush();

  const goto = document.getElementById("goto-form");
  if (goto) {
    goto.addEventListener("submit", async (e) => {
      e.preventDefault();
      const button = e.submitter;
      if (button && button.dataset.qnav && page !== null && parseInt(button.value, 10) === page) {
        const box = form && form.querySelector(`[data-slot="${button.dataset.qnav}"]`);
        if (box) { box.scrollIntoView({ behavior: "smooth", block: "start" }); box.querySelector("input, textarea, select")?.focus({ preventScroll: true }); }
        return;  // the question is on this page: no reload
      }
      if (form) form.querySelectorAll("[data-slot]").forEach((box) => {
        if (box.contains(document.activeElement) && document.activeElement.matches("input[type=text], textarea")) record(box);
      });
      const ok = await flushAll(8000);
      if (!ok) { say(navigator.onLine === false ? d.msgOffline : d.msgPending, false); return; }
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "page";
      hidden.value = button ? button.value : "";
      goto.appendChild(hidden);
      HTMLFormElement.prototype.submit.call(goto);
    });
  }

  const submitForm = root.querySelector("[data-submit-form]");
  if (submitForm) {
    submitForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!window.confirm(d.msgConfirm)) return;
      const ok = await flushAll(8000);
      if (!ok) { say(d.msgUnsent, true); return; }
      try {
        const response = await post(d.submitUrl, {});
        const data = await response.json();
        if (response.ok || data.state === "finished" || data.state === "abandoned") {
          closed = true;
          localStorage.removeItem(KEY);
          window.location.assign(d.reviewUrl);
        } else {
          say(data.error || `${response.status}`, true);
        }
      } catch (err) {
        say(d.msgOffline, true);
      }
    });
  }
}
