// The live-class room: chat, questions, hands, polls, slides and presence over Socket.IO (/live namespace).
// Weak links: the vendored client falls back to long-polling; every room event carries a sequence id and a
// reconnecting page asks for what it missed; actions sent while offline wait in an outbox (kept in
// sessionStorage) with client ids, so a retried action is applied once by the server.

const root = document.getElementById("live");
if (root && window.io) start(root);

function start(root) {
  const sessionId = Number(root.dataset.session);
  const manager = root.dataset.manager === "1";
  const T = JSON.parse(root.querySelector('[data-role="strings"]').textContent);
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const storeKey = `live:${sessionId}`;
  const saved = JSON.parse(sessionStorage.getItem(storeKey) || "{}");
  let lastSeq = Number(saved.lastSeq || 0);
  let outbox = Array.isArray(saved.outbox) ? saved.outbox : [];
  let me = null;
  let removed = false;
  let syncing = false;
  const polls = new Map();
  const present = new Map(); // lecturers: everyone here (paged in); learners: the lecturers here
  let hereCount = 0; // people here: the server's count (a learner's page lists only the lecturers)

  function persist() {
    sessionStorage.setItem(storeKey, JSON.stringify({ lastSeq, outbox }));
  }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text); // never innerHTML: text stays text
    if (cls) node.className = cls;
    return node;
  }
  function button(text, onClick, cls = "button small") {
    const b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function status(text) { $("conn").textContent = text; }

  const socket = window.io("/live", { reconnectionDelayMax: 5000, timeout: 20000 });
  root.liveSocket = socket; // for the browser tests (cutting the link)

  // ---- sending, with an outbox ------------------------------------------------------------------
  function newId() {
    return (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`).slice(0, 64);
  }
  function queue(event, data) {
    const item = { event, data: { ...data, cid: newId() } };
    outbox.push(item);
    persist();
    drawPending();
    flush();
  }
  function flush() {
    if (!socket.connected || !me) return;
    for (const item of [...outbox]) {
      if (item.inflight) continue;
      item.inflight = true;
      socket.timeout(15000).emit(item.event, item.data, (err, ack) => {
        item.inflight = false;
        if (err) return; // no acknowledgement: stays queued, sent again (same client id) after reconnecting
        outbox = outbox.filter((x) => x !== item);
        persist();
        drawPending();
        if (ack && !ack.ok) $("chat-note").textContent = ack.message || T.error;
      });
    }
  }
  function call(event, data, done) {
    socket.timeout(15000).emit(event, data, (err, ack) => {
      if (!err && ack && !ack.ok) $("chat-note").textContent = ack.message || T.error;
      if (!err && done) done(ack);
    });
  }
  function drawPending() {
    for (const node of root.querySelectorAll(".live-pending")) node.remove();
    for (const item of outbox.filter((x) => x.event === "chat")) {
      $("chat").append(el("li", `${item.data.text} (${T.pending})`, "live-pending muted"));
    }
  }

  // ---- drawing --------------------------------------------------------------------------------------
  function chatLine(m) {
    if (root.querySelector(`[data-chat="${m.id}"]`)) return;
    const li = el("li");
    li.dataset.chat = m.id;
    li.append(el("strong", m.name), " ", el("span", m.text));
    if (manager && m.user_id !== me.user_id) {
      li.append(" ", button(T.delete, () => call("delete", { id: m.id })),
                " ", button(T.mute, () => call("mute", { user_id: m.user_id, muted: true })));
    }
    const list = $("chat");
    list.append(li);
    drawPending();
    list.scrollTop = list.scrollHeight;
  }
  function questionLine(q) {
    let li = root.querySelector(`[data-question="${q.id}"]`);
    if (!li) {
      li = el("li");
      li.dataset.question = q.id;
      $("questions").append(li);
    }
    li.replaceChildren(el("span", q.text), " ", el("span", `— ${q.name}`, "muted"), " ");
    const up = button(`▲ ${q.upvotes || 0}`, () => call("upvote", { id: q.id }));
    up.setAttribute("aria-label", `${T.upvote} (${q.upvotes || 0})`);
    up.dataset.role = "upvotes";
    up.disabled = q.user_id === me.user_id || q.upvoted;
    li.append(up);
    if (q.answered) li.append(" ", el("span", T.answered, "tag ok"));
    else if (manager) li.append(" ", button(T.mark_answered, () => call("answered", { id: q.id })));
    if (manager) li.append(" ", button(T.delete, () => call("delete", { id: q.id })));
    li._q = q;
  }
  function drawPoll(p) {
    polls.set(p.id, { ...(polls.get(p.id) || {}), ...p });
    p = polls.get(p.id);
    let box = root.querySelector(`[data-poll="${p.id}"]`);
    if (!box) {
      box = el("div", null, "live-poll");
      box.dataset.poll = p.id;
      $("polls").prepend(box);
    }
    const total = (p.counts || []).reduce((a, b) => a + b, 0);
    box.replaceChildren(el("h3", p.question));
    const list = el("ul", null, "live-options");
    p.options.forEach((text, i) => {
      const n = (p.counts || [])[i] || 0;
      const li = el("li");
      const b = button(text, () => call("vote", { poll_id: p.id, option: i }, (ack) => {
        if (ack && ack.ok) drawPoll({ id: p.id, mine: ack.mine, counts: ack.counts });
      }), p.mine === i ? "button small primary" : "button small");
      b.disabled = p.closed || manager || (p.mine !== null && p.mine !== undefined && p.revote !== "replace");
      b.setAttribute("aria-pressed", String(p.mine === i));
      const bar = el("meter");
      bar.max = Math.max(total, 1);
      bar.value = n;
      li.append(b, " ", bar, " ", el("span", `${n}`), p.closed && p.correct === i ? el("span", " ✓", "tag ok") : "");
      list.append(li);
    });
    box.append(list, el("p", `${total} ${T.votes}${p.closed ? ` · ${T.closed_poll}` : ""}`, "muted"));
    if (manager && !p.closed) box.append(button(T.close_poll, () => call("poll_close", { poll_id: p.id })));
  }
  function drawPresent() {
    const list = $("present");
    list.replaceChildren(...[...present.values()].sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => el("li", p.lecturer ? `${p.name} (${T.lecturer})` : p.name)));
    $("count").textContent = String(Math.max(hereCount, present.size));
  }
  function morePresent(offset) { // the lecturers' list of a large room, a page at a time
    socket.timeout(20000).emit("present", { offset }, (err, ack) => {
      if (err || !ack || !ack.ok) return;
      for (const p of ack.present) present.set(p.user_id, p);
      hereCount = ack.count;
      drawPresent();
      if (ack.more && ack.present.length) morePresent(offset + ack.present.length);
    });
  }
  function drawHands(hands) {
    const list = $("hands");
    if (!list) return;
    list.replaceChildren(...hands.map((h) => {
      const li = el("li", `${h.name} `);
      li.dataset.hand = h.user_id;
      li.append(button(T.ack, () => call("hand_ack", { user_id: h.user_id })));
      return li;
    }));
  }
  function setHand(raised) {
    const b = root.querySelector('[data-action="hand"]');
    if (!b) return;
    b.setAttribute("aria-pressed", String(raised));
    b.textContent = `✋ ${raised ? T.lower : T.raise}`;
    me.hand = raised;
  }

  // ---- slides (the vendored pdf.js) --------------------------------------------------------------------
  let pdfLib = null;
  let pdfDoc = null;
  let pdfUrl = null;
  let slide = null;
  let rendering = false;
  let wanted;
  async function drawSlide(state) { // one render at a time on the canvas; the newest page wins
    slide = state;
    wanted = { state };
    if (rendering) return;
    rendering = true;
    while (wanted) {
      const next = wanted.state;
      wanted = null;
      await renderSlide(next);
    }
    rendering = false;
  }
  async function renderSlide(state) {
    const box = $("slides");
    if (!state) { box.hidden = true; return; }
    box.hidden = false;
    const start = $("slide-start");
    if (start) start.hidden = true;
    try {
      if (!pdfLib) {
        pdfLib = await import(root.dataset.pdfLib);
        pdfLib.GlobalWorkerOptions.workerSrc = root.dataset.pdfWorker;
      }
      if (pdfUrl !== state.url) {
        pdfDoc = await pdfLib.getDocument({ url: state.url, isEvalSupported: false, withCredentials: true }).promise;
        pdfUrl = state.url;
      }
      const number = Math.min(Math.max(1, state.page), pdfDoc.numPages);
      const page = await pdfDoc.getPage(number);
      const canvas = $("slide-canvas");
      const width = canvas.parentElement.clientWidth || 360;
      const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport }).promise;
      $("slide-page").textContent = T.page.replace("{page}", number).replace("{pages}", pdfDoc.numPages);
      const doc = $("slide-doc");
      if (doc) doc.value = String(state.lesson_id);
    } catch (err) {
      console.error("live slides:", err);
    }
  }
  if (manager) {
    const go = (delta) => {
      const doc = $("slide-doc");
      const lessonId = Number(doc.value);
      const page = slide && slide.lesson_id === lessonId ? slide.page + delta : 1;
      if (pdfDoc && slide && slide.lesson_id === lessonId && (page < 1 || page > pdfDoc.numPages)) return;
      call("slide", { lesson_id: lessonId, page: Math.max(1, page) });
    };
    root.querySelector('[data-action="slide-show"]')?.addEventListener("click", () => go(0));
    root.querySelector('[data-action="slide-prev"]')?.addEventListener("click", () => go(-1));
    root.querySelector('[data-action="slide-next"]')?.addEventListener("click", () => go(1));
    $("slide-doc")?.addEventListener("change", () => go(0));
  }

  // ---- events ---------------------------------------------------------------------------------------------
  function apply(ev) {
    const d = ev.data;
    switch (ev.kind) {
      case "chat": if (!d.deleted) chatLine(d); break;
      case "question": if (!d.deleted) questionLine(d); break;
      case "deleted": root.querySelector(`[data-chat="${d.id}"], [data-question="${d.id}"]`)?.remove(); break;
      case "answered": {
        const li = root.querySelector(`[data-question="${d.id}"]`);
        if (li && li._q) questionLine({ ...li._q, answered: true });
        break;
      }
      case "muted":
        if (d.user_id === me.user_id) { me.muted = d.muted; $("chat-note").textContent = d.muted ? T.muted : ""; }
        break;
      case "hand":
        if (d.user_id === me.user_id) setHand(d.raised);
        if (manager) {
          const hands = [...root.querySelectorAll("[data-hand]")].map((li) => ({ user_id: Number(li.dataset.hand), name: li.firstChild.textContent.trim() }))
            .filter((h) => h.user_id !== d.user_id);
          if (d.raised) hands.push({ user_id: d.user_id, name: d.name });
          drawHands(hands);
        }
        break;
      case "hand_ack":
        if (d.user_id === me.user_id) setHand(false);
        root.querySelector(`[data-hand="${d.user_id}"]`)?.remove();
        break;
      case "poll": case "poll_closed": drawPoll(d); break;
      case "slide": drawSlide(d); break;
      default: break;
    }
  }
  function take(ev) {
    if (ev.seq <= lastSeq) return; // already seen
    if (ev.seq > lastSeq + 1) { sync(); return; } // a gap: fetch what is missing in order
    apply(ev);
    lastSeq = ev.seq;
    persist();
  }
  function sync() {
    if (syncing) return;
    syncing = true;
    socket.timeout(20000).emit("sync", { last_seq: lastSeq }, (err, ack) => {
      syncing = false;
      if (err || !ack || !ack.ok) return;
      for (const ev of ack.missed || []) take(ev);
      if (ack.more) sync();
    });
  }
  function drawState(state, fresh) {
    me = state.me;
    if (fresh) for (const m of state.chat) chatLine(m);
    $("questions").replaceChildren();
    for (const q of state.questions) questionLine(q);
    $("polls").replaceChildren();
    polls.clear();
    for (const p of state.polls) drawPoll(p);
    present.clear();
    for (const p of state.present) present.set(p.user_id, p);
    hereCount = state.present_count || 0;
    drawPresent();
    if (state.present_more) morePresent(state.present.length);
    drawHands(state.hands || []);
    setHand(Boolean(me.hand));
    $("chat-note").textContent = me.muted ? T.muted : "";
    if (JSON.stringify(state.slide) !== JSON.stringify(slide)) drawSlide(state.slide);
  }

  socket.on("connect", () => {
    status(T.connected);
    const fresh = lastSeq === 0 || !me;
    socket.timeout(20000).emit("join", { session_id: sessionId, last_seq: lastSeq }, (err, ack) => {
      if (err) return;
      if (!ack.ok) { status(ack.error === "closed" ? T.closed : T.error); return; }
      drawState(ack.state, fresh);
      if (fresh && lastSeq === 0) lastSeq = ack.state.seq;
      for (const ev of ack.missed || []) take(ev);
      if (ack.more) sync();
      persist();
      flush();
    });
  });
  socket.on("disconnect", () => { if (!removed) status(T.offline); });
  socket.io.on("reconnect_attempt", () => { if (!removed) status(T.reconnecting); });
  socket.on("connect_error", () => { if (!removed) status(T.offline); });
  socket.on("ev", take);
  socket.on("state", (msg) => {
    const d = msg.data;
    if (msg.kind === "presence") { // a digest: arrivals and departures since the last one, and the count
      for (const p of d.joined || []) present.set(p.user_id, p);
      for (const id of d.left || []) present.delete(id);
      hereCount = d.count;
      drawPresent();
    } else if (msg.kind === "upvotes") {
      const li = root.querySelector(`[data-question="${d.id}"]`);
      if (li && li._q) questionLine({ ...li._q, upvotes: d.upvotes });
    } else if (msg.kind === "poll_results") {
      drawPoll({ id: d.id, counts: d.counts });
    }
  });
  socket.on("removed", () => {
    removed = true;
    status(T.removed);
    socket.disconnect();
  });
  setInterval(() => { if (socket.connected && me) socket.emit("ping", {}); }, 30000);

  // ---- forms ------------------------------------------------------------------------------------------------
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = e.target.elements.text;
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    queue("chat", { text });
  });
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = e.target.elements.text;
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    queue("ask", { text });
  });
  root.querySelector('[data-action="hand"]')?.addEventListener("click", () => call("hand", { raised: !me.hand }));
  $("poll-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const options = f.options.value.split("\n").map((s) => s.trim()).filter(Boolean);
    const correct = f.correct.value.trim() === "" ? null : Number(f.correct.value) - 1;
    call("poll_open", { question: f.question.value.trim(), options, correct, revote: f.replace.checked ? "replace" : "ignore" },
      (ack) => { if (ack && ack.ok) e.target.reset(); });
  });
  drawPending();
}
