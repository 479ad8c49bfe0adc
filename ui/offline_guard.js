// The Assess screen on a weak signal: nothing given while the connection is down is lost silently.
//
// - While the tablet is offline (the browser says so, or the app has lost its server), a banner
//   (role="status") says so, and says what waits to be sent.
// - Answers given while offline are held on the tablet, in order, and sent when it is back online:
//   the messages the page would send to the server are kept instead of being sent into a dead
//   connection, and each item answered meanwhile is marked "Not saved yet" (its old "Saved" line is
//   hidden), so nothing looks saved that is not.
// - A photo chosen while offline is kept and uploaded when the connection returns.
// - Once sent, each marked item is checked against what the screen then shows: the server saved it
//   (its line says saved and the field shows the answer given) or the item says plainly that the
//   answer was not saved and must be given again. What waits is also written to this browser's
//   storage, so a page closed before it was sent says so when it is opened again.
// - Online too, every answer is followed until the server has answered for it (a run finished after
//   it was sent and the item's line was drawn again). Nothing shows meanwhile, unless the server
//   is quiet about it for 15 s ("Not saved yet: the server has not answered"). If the connection
//   closes first (the browser still says it is online: the Wi-Fi went quiet, the server went away),
//   the item is marked "Not saved yet" and its message is sent again on the new connection, then
//   checked as above. A message the page sends into a connection that is not open is held the same
//   way. If the server cannot take it again (it restarted, with a new session), the item is not
//   saved when checked, and says plainly that it was not saved and must be given again.
(() => {
  const ASSESSMENT = Number(window.__saGuardAssessment || 0);
  if (window.__saGuard) {
    if (window.__saGuard.assessment !== ASSESSMENT) {
      window.__saGuard.assessment = ASSESSMENT;
      window.__saGuard.loadLeft();
    }
    window.__saGuard.render();
    return;
  }
  const STORAGE = 'sensory-audit:unsent:';
  const CONFIRM_MS = 20000; // after sending, how long an item may take to come back saved
  const SETTLE_MS = 3000;   // online: a run has finished since, and the item's line reads the same
  const QUIET_MS = 15000;   // online: no answer from the server for this long, and the item says so
  const nativeSend = WebSocket.prototype.send;
  const guard = {
    assessment: ASSESSMENT,
    queue: [],          // messages held while offline, in order
    socket: null,       // the app's current connection to the server
    // item key -> {question, given, sentAt, photo, state, before, data, socket, mark}; state is
    // 'typing' (changed, not sent yet), 'sending' (sent, the server has not answered), 'waiting'
    // (shown "Not saved yet": held, or sent into a connection that closed) or 'lost'.
    pending: new Map(),
    photos: [],         // {item, files} chosen while offline
    flushing: false,
    banner: null,
  };
  window.__saGuard = guard;

  const app = () => document.querySelector('[data-testid="stApp"]');
  const serverConnected = () => app()?.getAttribute('data-test-connection-state') === 'CONNECTED';
  const idle = () => app()?.getAttribute('data-test-script-state') === 'notRunning';
  const offline = () => !navigator.onLine || !serverConnected();
  const holding = () => !navigator.onLine || guard.queue.length > 0 && !guard.flushing;

  // -- the messages to the server ---------------------------------------------------------------
  const isStream = (socket) => String(socket.url || '').includes('/_stcore/stream');
  // Whether a message from the server says a run has finished (ForwardMsg field 6, script_finished):
  // only the top level of the protobuf message is read.
  const finishesRun = (bytes) => {
    let at = 0;
    const varint = () => {
      let value = 0;
      for (let shift = 0; at < bytes.length && shift < 50; shift += 7) {
        const b = bytes[at++];
        value += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
      }
      return value;
    };
    while (at < bytes.length) {
      const tag = varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 6 && wire === 0) return true;
      if (wire === 0) varint();
      else if (wire === 1) at += 8;
      else if (wire === 2) {
        const length = varint();
        at += length;
      }
      else if (wire === 5) at += 4;
      else return false;
    }
    return false;
  };
  const heard = (socket, data) => {
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (finishesRun(bytes)) socket.__saRuns += 1;
    } else if (data instanceof Blob) {
      data.arrayBuffer().then((buffer) => heard(socket, buffer));
    }
  };
  const watch = (socket) => {
    if (socket.__saWatched) return;
    socket.__saWatched = true;
    socket.__saRuns = 0;
    socket.addEventListener('message', (event) => heard(socket, event.data));
    socket.addEventListener('close', () => dropped(socket));
  };
  WebSocket.prototype.send = function (data) {
    if (!isStream(this)) return nativeSend.call(this, data);
    guard.socket = this;
    watch(this);
    if (holding() || this.readyState !== 1) {
      guard.queue.push(data);
      for (const entry of guard.pending.values()) if (entry.state === 'typing') entry.state = 'waiting';
      snapshotPending();
      render();
      return undefined;
    }
    sending(this, data);
    return nativeSend.call(this, data);
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new NativeSocket(...args);
    if (isStream(socket)) {
      guard.socket = socket;
      watch(socket);
      socket.addEventListener('open', () => setTimeout(flush, 0));
    }
    return socket;
  };
  window.WebSocket.prototype = NativeSocket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});

  // Whether the server has finished a run since the entry's message went out on its connection
  // (a photo goes over HTTP: its line is what counts).
  const ranSince = (entry) => !entry.socket || entry.socket.__saRuns > entry.mark;

  // -- which item a tap or a typed answer belongs to ----------------------------------------------
  const itemOf = (node) => node?.closest?.('[class*="st-key-assess_item_"]') || null;
  const keyOf = (box) => [...box.classList].find((c) => c.startsWith('st-key-assess_item_')) || '';
  const statusOf = (box) => box.querySelector('[class*="st-key-assess_status_"]');
  const questionOf = (box) => {
    const label = box.querySelector('[data-testid="stWidgetLabel"], [data-testid="stMarkdownContainer"] strong');
    return (label?.textContent || 'this item').trim();
  };
  const answerInput = (target) => target.matches?.(
    'input:not([type="file"]), textarea, button[role="radio"], [role="radio"], input[type="checkbox"]'
  ) || target.closest?.('button[role="radio"], label');
  // What an item's fields show: compared, once sent, with what they show when the server is done.
  const shown = (box) => JSON.stringify([
    ...[...box.querySelectorAll('button[role="radio"][aria-checked="true"]')].map((b) => b.textContent.trim()),
    ...[...box.querySelectorAll('input[type="text"], input:not([type]), textarea')].map((i) => i.value.trim()),
    ...[...box.querySelectorAll('input[type="checkbox"]')].map((i) => i.checked),
  ]);
  const boxOf = (key) => document.querySelector('.' + CSS.escape(key));
  const lineOf = (box) => statusOf(box)?.textContent || '';

  const markPending = (box, photo) => {
    const key = keyOf(box);
    if (!key) return;
    const entry = guard.pending.get(key)
      || {question: questionOf(box), given: null, photo: null, sentAt: 0, state: 'waiting', before: statusOf(box)?.textContent || ''};
    entry.state = 'waiting';
    entry.sentAt = 0;
    if (photo) entry.photo = photo;
    guard.pending.set(key, entry);
    setTimeout(() => { snapshotPending(); render(); }, 0);
  };
  const snapshotPending = () => {
    for (const [key, entry] of guard.pending) {
      const box = boxOf(key);
      if (box && entry.state === 'waiting') entry.given = shown(box);
    }
    remember();
  };

  const noteChange = (event) => {
    // Once the app itself has lost the server, Streamlit greys the inputs out and nothing can be given.
    if (!serverConnected()) return;
    const box = itemOf(event.target);
    if (!box || !answerInput(event.target)) return;
    const typed = event.target.matches?.('input[type="text"], input:not([type]), textarea');
    if (event.type === 'click' && typed) return; // a tap into a field changes nothing yet
    // Held while the browser is offline (or its held answers are not all sent): shown at once.
    if (!navigator.onLine || guard.queue.length > 0) {
      markPending(box, null);
      return;
    }
    // Online: followed, unseen, until the server answers for it (see `sending` and `check`).
    const key = keyOf(box);
    // Already followed (a later message carries it too), or shown as waiting; one shown as lost is
    // being given again.
    if (guard.pending.has(key) && guard.pending.get(key).state !== 'lost') return;
    guard.pending.set(key, {
      question: questionOf(box), given: null, photo: null, sentAt: 0, state: 'typing',
      before: statusOf(box)?.textContent || '', shownBefore: shown(box), data: null, socket: null, mark: 0,
    });
  };
  // A message leaves for the server: every answer changed since goes with it.
  function sending(socket, data) {
    const now = Date.now();
    for (const entry of guard.pending.values()) {
      if (entry.state !== 'typing' && entry.state !== 'sending') continue;
      Object.assign(entry, {state: 'sending', data, socket, sentAt: now, mark: socket.__saRuns, ranAt: 0, overdue: false});
    }
  }
  // The connection closed: what the server had not answered for is shown as not saved yet, and its
  // message is sent again, in order, on the next connection.
  // (`socket` null: whichever connection it went out on; the app has lost the server.)
  function dropped(socket) {
    const resend = [];
    const sent = [...guard.pending].filter(([, e]) => e.state === 'sending').sort((a, b) => a[1].sentAt - b[1].sentAt);
    const typing = [...guard.pending].filter(([, e]) => e.state === 'typing');
    for (const [key, entry] of [...sent, ...typing]) {
      if (entry.state === 'sending' && socket && entry.socket !== socket) continue;
      const box = boxOf(key);
      if (entry.state === 'sending' && box && lineOf(box) !== entry.before) {
        guard.pending.delete(key); // the server's answer for it came and is drawn (its run may not have ended)
        continue;
      }
      if (entry.state === 'typing' && (!box || shown(box) === entry.shownBefore)) {
        guard.pending.delete(key); // touched, not changed: nothing to send
        continue;
      }
      if (entry.state === 'sending' && entry.data && !resend.includes(entry.data)) resend.push(entry.data);
      if (box) entry.given = shown(box);
      Object.assign(entry, {state: 'waiting', sentAt: 0, data: null, socket: null, overdue: false});
    }
    if (resend.length) guard.queue.unshift(...resend);
    remember();
    render();
  }
  window.addEventListener('change', noteChange, true);
  window.addEventListener('input', noteChange, true);
  window.addEventListener('click', noteChange, true);

  // A photo chosen while offline: kept, and uploaded once the connection is back.
  const holdPhoto = (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || input.__saReplay) return;
    const box = itemOf(input);
    if (!box || !offline() || !input.files?.length) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    if (event.type !== 'change') return; // the same choice also fires "input": kept once
    const files = [...input.files];
    guard.photos.push({item: keyOf(box), files});
    markPending(box, files.map((f) => f.name).join(', '));
  };
  window.addEventListener('change', holdPhoto, true);
  window.addEventListener('input', holdPhoto, true);

  // -- back online: send what waited, then check each item ----------------------------------------
  function flush() {
    if (!navigator.onLine || guard.flushing) return;
    const socket = guard.socket;
    if (!socket || socket.readyState !== 1 || !serverConnected()) return;
    guard.flushing = true;
    try {
      snapshotPending();
      const now = Date.now();
      if (guard.queue.length) guard.sentAfterOffline = true;
      while (guard.queue.length) nativeSend.call(socket, guard.queue.shift());
      for (const entry of guard.pending.values()) {
        if (entry.state !== 'waiting' || entry.photo || entry.sentAt) continue;
        Object.assign(entry, {sentAt: now, socket, mark: socket?.__saRuns || 0, ranAt: 0});
      }
    } finally {
      guard.flushing = false;
    }
    sendPhotos();
    render();
  }
  function sendPhotos() {
    if (!guard.photos.length || !navigator.onLine || !serverConnected()) return;
    const waiting = guard.photos.splice(0);
    guard.sentAfterOffline = true;
    for (const photo of waiting) {
      const input = boxOf(photo.item)?.querySelector('input[type="file"]');
      const entry = guard.pending.get(photo.item);
      if (!input) {
        if (entry) entry.state = 'lost';
        continue;
      }
      const transfer = new DataTransfer();
      photo.files.forEach((f) => transfer.items.add(f));
      input.__saReplay = true;
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', {bubbles: true}));
      input.__saReplay = false;
      if (entry) Object.assign(entry, {sentAt: Date.now(), socket: null});
    }
  }
  // A line the app drew for a saved, cleared or taken answer starts with its check_circle icon, in any
  // language; the photo's line is the app's own words for it (window.__saGuardWords, translated).
  const savedLine = (text) => (text.includes('check_circle') || /saved|cleared|took/i.test(text))
    && !/not saved|nothing was saved/i.test(text);
  const photoLine = (name) => ((window.__saGuardWords || {}).photoSaved || 'Photo {name} saved').replace('{name}', name);
  function check() {
    if (offline() || guard.queue.length || !idle()) return;
    const now = Date.now();
    for (const [key, entry] of guard.pending) {
      if ((entry.state !== 'waiting' && entry.state !== 'sending') || !entry.sentAt) continue;
      const box = boxOf(key);
      const line = box ? statusOf(box) : null;
      const status = line?.textContent || '';
      const ran = ranSince(entry);
      if (ran && !entry.ranAt) entry.ranAt = now;
      if (entry.state === 'sending') {
        // Online: the server answered for it (its line was drawn again: saved, or why not), or has
        // finished a run since and the line reads the same (the same words in the same second).
        if (ran && (status !== entry.before || now - entry.ranAt > SETTLE_MS)) guard.pending.delete(key);
        continue;
      }
      const photoSaved = !entry.photo || entry.photo.split(', ').every((name) => status.includes(photoLine(name)));
      // A refusal drawn since (a reading out of range, another assessor's answer, half an answer):
      // the item says itself why it is not saved.
      const refused = !entry.photo && status !== entry.before && !!line?.querySelector('[data-testid^="stAlert"]');
      if (box && ran && (refused || (savedLine(status) && photoSaved && (entry.photo || shown(box) === entry.given)))) {
        guard.pending.delete(key);
      } else if (now - entry.sentAt > CONFIRM_MS) {
        entry.state = 'lost';
      }
    }
    remember();
    render();
  }

  // -- what the screen says -----------------------------------------------------------------------
  const storageKey = () => STORAGE + guard.assessment;
  function remember() {
    if (!guard.assessment) return;
    const waiting = [...guard.pending.values()].filter((e) => e.state === 'waiting')
      .map((e) => ({question: e.question, photo: e.photo}));
    if (waiting.length) localStorage.setItem(storageKey(), JSON.stringify(waiting));
    else localStorage.removeItem(storageKey());
  }
  // What an earlier page of this tablet held for this assessment and never sent (it was closed).
  let leftBefore = [];
  guard.loadLeft = () => {
    if (!guard.assessment) return;
    try { leftBefore = JSON.parse(localStorage.getItem(storageKey()) || '[]'); } catch { leftBefore = []; }
    localStorage.removeItem(storageKey());
  };
  guard.loadLeft();

  const style = document.createElement('style');
  style.textContent = `
    #sa-connection { position: fixed; top: 3.75rem; left: 50%; transform: translateX(-50%); z-index: 1000100;
      max-width: min(46rem, 94vw); padding: 0.75rem 1rem; border-radius: 0.5rem; font-size: 1rem;
      line-height: 1.4; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
    #sa-connection[data-mode="offline"] { background: #FFF4CE; color: #3B2300; border: 2px solid #8A5A00; }
    #sa-connection[data-mode="lost"] { background: #FDE7E9; color: #5C0011; border: 2px solid #A4262C; }
    #sa-connection[data-mode="back"] { background: #E3F4E8; color: #0B3D1E; border: 2px solid #107C41; }
    #sa-connection button { min-height: 44px; min-width: 44px; margin-left: 0.75rem; font-size: 1rem; }
    .sa-pending [class*="st-key-assess_status_"] { display: none; }
    .sa-unsent { margin-top: 0.5rem; padding: 0.5rem 0.75rem; border-radius: 0.4rem; font-weight: 600;
      background: #FFF4CE; color: #3B2300; border: 1px solid #8A5A00; }
    .sa-unsent[data-state="lost"] { background: #FDE7E9; color: #5C0011; border-color: #A4262C; }
  `;
  document.head.appendChild(style);

  const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  // An answer on its way online is not shown: only one that waits, or was lost.
  // (One the server has been quiet about for long is shown too: see `overdue`.)
  const shows = (entry) => entry.state === 'waiting' || entry.state === 'lost' || !!entry.overdue;
  function render() {
    for (const box of document.querySelectorAll('.sa-pending')) {
      const entry = guard.pending.get(keyOf(box));
      if (!entry || !shows(entry)) {
        box.classList.remove('sa-pending');
        box.querySelector(':scope > .sa-unsent')?.remove();
      }
    }
    for (const [key, entry] of guard.pending) {
      const box = boxOf(key);
      if (!box) continue;
      if (!shows(entry)) {
        box.classList.remove('sa-pending');
        box.querySelector(':scope > .sa-unsent')?.remove();
        continue;
      }
      box.classList.add('sa-pending');
      let marker = box.querySelector(':scope > .sa-unsent');
      if (!marker) {
        marker = document.createElement('div');
        marker.className = 'sa-unsent';
        box.appendChild(marker);
      }
      const photo = entry.photo ? ` (photo ${entry.photo})` : '';
      const text = entry.state === 'lost'
        ? `Not saved${photo}: the connection dropped before the server took it. Give this answer again.`
        : entry.state === 'sending'
          ? 'Not saved yet: the server has not answered. It is sent again if the connection drops.'
          : `Not saved yet${photo}: no connection. It is sent when the connection returns.`;
      if (marker.textContent !== text) marker.textContent = text;
      marker.dataset.state = entry.state;
      marker.setAttribute('role', entry.state === 'lost' ? 'alert' : 'status');
    }
    const entries = [...guard.pending.values()];
    const waiting = entries.filter((e) => e.state === 'waiting');
    const lost = entries.filter((e) => e.state === 'lost');
    let mode = null;
    let text = '';
    if (offline()) {
      mode = 'offline';
      const paused = !serverConnected();
      text = 'Offline: no connection to the server. Everything marked Saved is saved.'
        + (paused ? ' The answers are paused until the connection returns.'
          : ' Answers given now are kept on this tablet and sent when the connection returns.')
        + (waiting.length ? ` Waiting to be sent: ${count(waiting.length, 'item', 'items')}, marked “Not saved yet”.` : '');
    } else if (lost.length || leftBefore.length) {
      mode = 'lost';
      const names = [...lost.map((e) => e.question), ...leftBefore.map((e) => e.question)];
      text = `Not saved: ${count(names.length, 'answer', 'answers')} given while the connection was down `
        + `did not reach the server: ${names.join('; ')}. Give them again.`;
    } else if (waiting.length) {
      mode = 'back';
      text = `Back online: sending ${count(waiting.length, 'item', 'items')} given while offline…`;
    } else if (guard.wasOffline) {
      guard.clearSince = guard.clearSince || Date.now();
      if (Date.now() - guard.clearSince < 15000) {
        mode = 'back';
        text = guard.sentAfterOffline ? 'Back online: every answer given while offline is saved.'
          : 'Back online: the connection to the server is back.';
      }
    }
    if (mode !== 'back' || waiting.length) guard.clearSince = 0;
    if (mode === 'offline') guard.sentAfterOffline = false;
    if (!guard.banner) {
      guard.banner = document.createElement('div');
      guard.banner.id = 'sa-connection';
      guard.banner.setAttribute('role', 'status');
      guard.banner.setAttribute('aria-live', 'polite');
      document.body.appendChild(guard.banner);
    }
    guard.banner.hidden = mode === null;
    if (mode !== null && (guard.banner.dataset.mode !== mode || guard.banner.firstChild?.textContent !== text)) {
      guard.banner.dataset.mode = mode;
      guard.banner.replaceChildren(document.createTextNode(text));
      if (mode === 'lost' && leftBefore.length && !lost.length) {
        const dismiss = document.createElement('button');
        dismiss.type = 'button';
        dismiss.textContent = 'Understood';
        dismiss.addEventListener('click', () => { leftBefore = []; render(); });
        guard.banner.appendChild(dismiss);
      }
    }
    if (offline()) guard.wasOffline = true;
  }
  guard.render = render;

  window.addEventListener('online', () => { flush(); render(); });
  window.addEventListener('offline', render);
  window.addEventListener('beforeunload', (event) => {
    if (guard.queue.length || guard.photos.length) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  // A connection that stays open but carries nothing: an answer the server is quiet about for long
  // is marked not saved yet (the mark goes once the server answers for it).
  const overdue = () => {
    const now = Date.now();
    for (const entry of guard.pending.values()) {
      if (entry.state === 'sending' && !entry.overdue && !ranSince(entry) && now - entry.sentAt > QUIET_MS) entry.overdue = true;
    }
  };
  setInterval(() => {
    if (!serverConnected() && [...guard.pending.values()].some((e) => e.state === 'sending')) dropped(null);
    overdue();
    flush(); sendPhotos(); check(); render();
  }, 500);
  render();
})();
