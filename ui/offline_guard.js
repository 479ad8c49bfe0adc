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
  const nativeSend = WebSocket.prototype.send;
  const guard = {
    assessment: ASSESSMENT,
    queue: [],          // messages held while offline, in order
    socket: null,       // the app's current connection to the server
    pending: new Map(), // item key -> {question, given, sentAt, photo, state}
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
  WebSocket.prototype.send = function (data) {
    if (!isStream(this)) return nativeSend.call(this, data);
    guard.socket = this;
    if (holding()) {
      guard.queue.push(data);
      snapshotPending();
      render();
      return undefined;
    }
    return nativeSend.call(this, data);
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new NativeSocket(...args);
    if (isStream(socket)) {
      guard.socket = socket;
      socket.addEventListener('open', () => setTimeout(flush, 0));
    }
    return socket;
  };
  window.WebSocket.prototype = NativeSocket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});

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

  const markPending = (box, photo) => {
    const key = keyOf(box);
    if (!key) return;
    const entry = guard.pending.get(key) || {question: questionOf(box), given: null, photo: null, sentAt: 0, state: 'waiting'};
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
    // Held only while the browser is offline (or its held answers are not all sent); once the app
    // itself has lost the server, Streamlit greys the inputs out and nothing can be given.
    if (!serverConnected() || (navigator.onLine && guard.queue.length === 0)) return;
    const box = itemOf(event.target);
    if (box && answerInput(event.target)) markPending(box, null);
  };
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
    if (guard.queue.length && (!socket || socket.readyState !== 1 || !serverConnected())) return;
    guard.flushing = true;
    try {
      snapshotPending();
      const now = Date.now();
      if (guard.queue.length) guard.sentAfterOffline = true;
      while (guard.queue.length) nativeSend.call(socket, guard.queue.shift());
      for (const entry of guard.pending.values()) if (entry.state === 'waiting' && !entry.photo) entry.sentAt = now;
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
      if (entry) entry.sentAt = Date.now();
    }
  }
  // A line the app drew for a saved, cleared or taken answer starts with its check_circle icon, in any
  // language; the photo's line is the app's own words for it (window.__saGuardWords, translated).
  const savedLine = (text) => (text.includes('check_circle') || /saved|cleared|took/i.test(text))
    && !/not saved|nothing was saved/i.test(text);
  const photoLine = (name) => ((window.__saGuardWords || {}).photoSaved || 'Photo {name} saved').replace('{name}', name);
  function check() {
    if (offline() || guard.queue.length || !idle()) return;
    for (const [key, entry] of guard.pending) {
      if (entry.state !== 'waiting' || !entry.sentAt) continue;
      const box = boxOf(key);
      const status = box ? (statusOf(box)?.textContent || '') : '';
      const photoSaved = !entry.photo || entry.photo.split(', ').every((name) => status.includes(photoLine(name)));
      if (box && savedLine(status) && photoSaved && (entry.photo || shown(box) === entry.given)) {
        guard.pending.delete(key);
      } else if (Date.now() - entry.sentAt > CONFIRM_MS) {
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
  function render() {
    for (const box of document.querySelectorAll('.sa-pending')) {
      if (!guard.pending.has(keyOf(box))) {
        box.classList.remove('sa-pending');
        box.querySelector(':scope > .sa-unsent')?.remove();
      }
    }
    for (const [key, entry] of guard.pending) {
      const box = boxOf(key);
      if (!box) continue;
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
  setInterval(() => { flush(); sendPhotos(); check(); render(); }, 500);
  render();
})();
