// The idle timeout in the browser (the server ends an idle session too: SessionActivity). While someone types,
// clicks, touches or scrolls, the page tells the server now and then (a keep-alive, which is what counts as use); once
// no page of this browser has told it for nearly the timeout, the page goes to the sign-in page, saying why — a little
// before the server's own limit, which ends the session at its next request or check. Tabs share the time of the last
// keep-alive, so an idle tab is not sent away while another is in use.
(() => {
  const meta = document.querySelector('meta[name="kp-idle-seconds"]');
  const idleMs = meta ? Number(meta.content) * 1000 : 0;
  if (!(idleMs > 0)) return;
  const key = 'kp-last-keep-alive';
  const pingEvery = Math.min(60000, idleMs / 4);
  const leaveAfter = idleMs - Math.min(idleMs / 10, 5000);
  let lastPing = Date.now(); // this page's own request counted as use
  const remember = at => { try { localStorage.setItem(key, String(at)); } catch { /* private mode: this tab only */ } };
  const lastUse = () => Math.max(lastPing, Number(localStorage.getItem(key)) || 0);
  remember(lastPing);
  const use = () => {
    const now = Date.now();
    if (now - lastUse() < pingEvery) return;
    lastPing = now;
    remember(now);
    fetch('/account/keep-alive', { method: 'POST', credentials: 'same-origin' })
      .then(r => { if (r.status === 401 || r.redirected) location.assign('/login?idle=1'); })
      .catch(() => { /* offline: reconnect.js shows it */ });
  };
  for (const kind of ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']) {
    addEventListener(kind, use, { passive: true, capture: true });
  }
  setInterval(() => {
    if (Date.now() - lastUse() > leaveAfter) location.assign('/login?idle=1');
  }, Math.min(5000, idleMs / 20));
})();
