// Live pages (the war-room screen above all) must run unattended. While the connection to the server is down the
// page shows "stale since hh:mm:ss" and keeps trying, for as long as it takes. When the server answers again but no
// longer knows this page's circuit (it restarted), the page reloads itself once the server is ready.
(() => {
    const retryEveryMs = 2000;
    let staleSince = null;

    const banner = () => document.getElementById('kp-stale');
    const wait = ms => new Promise(resolve => setTimeout(resolve, ms));
    const hhmmss = d => [d.getHours(), d.getMinutes(), d.getSeconds()].map(n => String(n).padStart(2, '0')).join(':');

    function showStale() {
        const b = banner();
        if (!b) return;
        b.querySelector('[data-stale-time]').textContent = hhmmss(staleSince);
        b.dataset.since = staleSince.toISOString();
        b.hidden = false;
        document.documentElement.classList.add('kp-is-stale');
    }

    function hideStale() {
        const b = banner();
        if (b) b.hidden = true;
        document.documentElement.classList.remove('kp-is-stale');
    }

    async function reloadWhenReady() {
        while (true) {
            try {
                const response = await fetch('/health/ready', { cache: 'no-store' });
                if (response.ok) {
                    location.reload();
                    return;
                }
            } catch {
                // not reachable yet
            }
            await wait(retryEveryMs);
        }
    }

    async function keepTrying() {
        while (staleSince) {
            await wait(retryEveryMs);
            if (!staleSince) return;
            try {
                // true: reconnected (onConnectionUp hides the banner); false: the server is back but the circuit is gone.
                if (await Blazor.reconnect()) return;
                await reloadWhenReady();
                return;
            } catch {
                // the server is not reachable yet: keep trying
            }
        }
    }

    Blazor.start({
        circuit: {
            reconnectionHandler: {
                onConnectionDown: () => {
                    if (staleSince) return;
                    staleSince = new Date();
                    showStale();
                    keepTrying();
                },
                onConnectionUp: () => {
                    staleSince = null;
                    hideStale();
                },
            },
        },
    });
})();
