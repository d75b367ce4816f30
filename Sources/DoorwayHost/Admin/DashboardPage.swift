// The dashboard at /_door/: one self-contained page (inline style and script, nothing fetched from elsewhere)
// that polls /_door/api/status every second and renders every value with textContent, never as markup.

/// The page, and the element ids and classes a browser test can rely on:
/// `#services tbody tr[data-service=NAME]`, `#mailboxes li[data-mailbox=NAME]`,
/// `#messages tbody tr[data-id=ID]` with `.subject`, `#torrents tbody tr[data-torrent=INFOHASH]`, and for the
/// opened message `#message`, `#message-headers`, `#message-text`, `#message-attachments`, `#message-html`
/// (a sandboxed iframe).
enum DashboardPage {
    static let bytes = Array(html.utf8)

    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>door</title>
        <style>
        :root { color-scheme: light dark; --line: #8884; --muted: #888; --accent: #2a7; --bad: #d33; }
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 1rem 2rem; }
        header { display: flex; align-items: baseline; gap: 1rem; border-bottom: 1px solid var(--line); }
        header h1 { font-size: 1.3rem; margin: .6rem 0; }
        #live { color: var(--muted); font-size: .85rem; }
        #live.error { color: var(--bad); }
        h2 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: .8rem; text-transform: uppercase; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        td.state-running { color: var(--accent); }
        td.state-failed { color: var(--bad); }
        .empty { color: var(--muted); font-style: italic; }
        .mail { display: grid; grid-template-columns: 14rem 1fr; gap: 1rem; }
        #mailboxes { list-style: none; margin: 0; padding: 0; }
        #mailboxes li { padding: .25rem .5rem; cursor: pointer; border-radius: 4px; }
        #mailboxes li.selected, #messages tr.selected { background: #8882; }
        #mailboxes li .count { color: var(--muted); float: right; }
        #messages tbody tr { cursor: pointer; }
        #messages tr.unseen .subject { font-weight: 600; }
        #message { margin-top: 1rem; border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem 1rem; }
        #message-headers td:first-child { color: var(--muted); white-space: nowrap; }
        #message-headers td { font-size: .85rem; word-break: break-word; }
        #message-text { white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, monospace; }
        #message-html { width: 100%; height: 24rem; border: 1px solid var(--line); background: #fff; }
        </style>
        </head>
        <body>
        <header><h1>door</h1><span id="live">connecting…</span></header>
        <main>
        <section id="services-section">
        <h2>Services</h2>
        <table id="services">
        <thead><tr><th>Name</th><th>Kind</th><th>Transport</th><th>Endpoint</th><th>State</th>
        <th class="number">Active</th><th class="number">Total</th><th class="number">Bytes in</th>
        <th class="number">Bytes out</th><th class="number">Errors</th></tr></thead>
        <tbody></tbody>
        </table>
        <p class="empty" id="services-empty" hidden>No services.</p>
        </section>
        <section id="mail-section">
        <h2>Mail</h2>
        <div class="mail">
        <ul id="mailboxes"></ul>
        <div>
        <table id="messages">
        <thead><tr><th>Date</th><th>From</th><th>Subject</th><th class="number">Size</th><th>Seen</th></tr></thead>
        <tbody></tbody>
        </table>
        <p class="empty" id="messages-empty" hidden>No messages.</p>
        </div>
        </div>
        <article id="message" hidden>
        <h3 id="message-subject"></h3>
        <table id="message-headers"><tbody></tbody></table>
        <p id="message-attachments" hidden></p>
        <pre id="message-text"></pre>
        <div id="message-html-box"></div>
        </article>
        </section>
        <section id="torrents-section">
        <h2>Torrents</h2>
        <table id="torrents">
        <thead><tr><th>Name</th><th class="number">Progress</th><th class="number">Down</th><th class="number">Up</th>
        <th class="number">Peers</th><th class="number">Uploaded</th><th class="number">Downloaded</th></tr></thead>
        <tbody></tbody>
        </table>
        <p class="empty" id="torrents-empty" hidden>No torrents.</p>
        </section>
        </main>
        <script>
        'use strict';
        // Everything from the server is shown with textContent: mail is written by strangers.
        const token = new URLSearchParams(location.search).get('token');
        let selectedMailbox = '';
        let openedMessage = null;

        function withToken(path) {
          return token ? path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : path;
        }

        async function api(path) {
          const response = await fetch(path, {
            cache: 'no-store',
            headers: token ? { 'Authorization': 'Bearer ' + token } : {},
          });
          if (!response.ok) {
            let reason = response.status + ' ' + response.statusText;
            try { reason = (await response.json()).error || reason; } catch (e) {}
            throw new Error(reason);
          }
          return response.json();
        }

        function byteCount(n) {
          const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
          let value = Number(n) || 0, unit = 0;
          while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
          return (unit === 0 ? String(value) : value.toFixed(1)) + ' ' + units[unit];
        }

        function setCells(row, values) {
          while (row.cells.length < values.length) row.insertCell();
          values.forEach((value, index) => {
            const [text, className] = Array.isArray(value) ? value : [value, ''];
            const cell = row.cells[index];
            const shown = String(text);
            if (cell.textContent !== shown) cell.textContent = shown;
            if (cell.className !== className) cell.className = className;
          });
        }

        // Keeps one row per key, in the order given, updating cells in place so clicks and selection survive.
        function syncRows(table, items, keyOf, attribute, fill) {
          const body = table.tBodies[0];
          const existing = new Map();
          for (const row of Array.from(body.rows)) existing.set(row.getAttribute(attribute), row);
          const rows = items.map((item) => {
            const key = String(keyOf(item));
            let row = existing.get(key);
            if (row) { existing.delete(key); } else { row = document.createElement('tr'); row.setAttribute(attribute, key); }
            fill(row, item);
            return row;
          });
          for (const row of existing.values()) row.remove();
          rows.forEach((row, index) => { if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] || null); });
          document.getElementById(table.id + '-empty')?.toggleAttribute('hidden', items.length > 0);
        }

        function renderServices(services) {
          // One row per endpoint and transport: a service may listen on several (echo over TCP and UDP).
          syncRows(document.getElementById('services'), services, (s) => s.name + ' ' + s.transport + ' ' + s.endpoint,
            'data-key', (row, s) => {
            row.setAttribute('data-service', s.name);
            row.title = s.problem || '';
            setCells(row, [s.name, s.kind, s.transport, s.endpoint, [s.state, 'state-' + s.state],
              [s.activeConnections, 'number'], [s.totalConnections, 'number'], [byteCount(s.bytesIn), 'number'],
              [byteCount(s.bytesOut), 'number'], [s.errors, 'number']]);
          });
        }

        function renderTorrents(torrents) {
          syncRows(document.getElementById('torrents'), torrents, (t) => t.infoHash, 'data-torrent', (row, t) => {
            const progress = t.totalBytes > 0 ? (100 * t.bytesHave / t.totalBytes).toFixed(1) : '0.0';
            setCells(row, [t.name, [progress + ' %', 'number'], [byteCount(t.downloadRate) + '/s', 'number'],
              [byteCount(t.uploadRate) + '/s', 'number'], [t.peers, 'number'], [byteCount(t.uploaded), 'number'],
              [byteCount(t.downloaded), 'number']]);
          });
        }

        function renderMailboxes(mailboxes) {
          const list = document.getElementById('mailboxes');
          const all = { name: '', messages: mailboxes.reduce((sum, m) => sum + m.messages, 0),
            unseen: mailboxes.reduce((sum, m) => sum + m.unseen, 0) };
          const items = [all].concat(mailboxes);
          const existing = new Map();
          for (const item of Array.from(list.children)) existing.set(item.getAttribute('data-mailbox'), item);
          items.forEach((mailbox, index) => {
            let item = existing.get(mailbox.name);
            if (item) { existing.delete(mailbox.name); } else {
              item = document.createElement('li');
              item.setAttribute('data-mailbox', mailbox.name);
              item.append(document.createElement('span'), document.createElement('span'));
              item.children[0].className = 'name';
              item.children[1].className = 'count';
            }
            item.children[0].textContent = mailbox.name || 'All mailboxes';
            item.children[1].textContent = mailbox.unseen + ' / ' + mailbox.messages;
            item.classList.toggle('selected', mailbox.name === selectedMailbox);
            if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
          });
          for (const item of existing.values()) item.remove();
        }

        function renderMessages(messages) {
          syncRows(document.getElementById('messages'), messages, (m) => m.id, 'data-id', (row, m) => {
            setCells(row, [m.date, m.from, [m.subject || '(no subject)', 'subject'], [byteCount(m.size), 'number'],
              m.seen ? 'yes' : 'no']);
            row.classList.toggle('unseen', !m.seen);
            row.classList.toggle('selected', m.id === openedMessage);
          });
        }

        async function openMessage(id) {
          openedMessage = id;
          for (const row of document.querySelectorAll('#messages tbody tr')) {
            row.classList.toggle('selected', row.getAttribute('data-id') === id);
          }
          const path = '/_door/api/mail/messages/' + encodeURIComponent(id);
          let detail;
          try { detail = await api(path); } catch (error) { setLive(error); return; }
          if (openedMessage !== id) return;
          const article = document.getElementById('message');
          article.setAttribute('data-id', id);
          document.getElementById('message-subject').textContent = detail.entry.subject || '(no subject)';
          const headers = document.getElementById('message-headers').tBodies[0];
          headers.replaceChildren(...detail.headers.map((field) => {
            const row = document.createElement('tr');
            setCells(row, [field.name, field.value]);
            return row;
          }));
          const attachments = document.getElementById('message-attachments');
          attachments.textContent = detail.attachments.length ? 'Attachments: ' + detail.attachments.join(', ') : '';
          attachments.hidden = detail.attachments.length === 0;
          document.getElementById('message-text').textContent = detail.text ?? '(no text part)';
          const box = document.getElementById('message-html-box');
          box.replaceChildren();
          if (detail.html) {
            // An empty sandbox grants nothing: the mail's HTML gets a unique origin and cannot run code; the
            // server adds a sandbox CSP of its own in case the frame's address is opened directly.
            const frame = document.createElement('iframe');
            frame.id = 'message-html';
            frame.setAttribute('sandbox', '');
            frame.setAttribute('referrerpolicy', 'no-referrer');
            frame.title = 'HTML part';
            frame.src = withToken(path + '/html');
            box.append(frame);
          }
          article.hidden = false;
        }

        function setLive(error) {
          const live = document.getElementById('live');
          live.textContent = error ? 'not updating: ' + error.message : 'live, updated ' + new Date().toLocaleTimeString();
          live.classList.toggle('error', Boolean(error));
        }

        // One poll at a time; a request for a fresh view while one is out runs right after it.
        let timer = 0, polling = false, pollAgain = false;
        async function refresh() {
          if (polling) { pollAgain = true; return; }
          polling = true;
          clearTimeout(timer);
          try {
            const query = selectedMailbox ? '?mailbox=' + encodeURIComponent(selectedMailbox) : '';
            const status = await api('/_door/api/status' + query);
            renderServices(status.services);
            renderTorrents(status.torrents);
            renderMailboxes(status.mail.mailboxes);
            renderMessages(status.mail.messages);
            setLive(null);
          } catch (error) {
            setLive(error);
          } finally {
            polling = false;
            if (pollAgain) { pollAgain = false; refresh(); } else { timer = setTimeout(refresh, 1000); }
          }
        }

        document.getElementById('messages').tBodies[0].addEventListener('click', (event) => {
          const row = event.target.closest('tr');
          if (row) openMessage(row.getAttribute('data-id'));
        });
        document.getElementById('mailboxes').addEventListener('click', (event) => {
          const item = event.target.closest('li');
          if (!item) return;
          selectedMailbox = item.getAttribute('data-mailbox');
          for (const other of document.querySelectorAll('#mailboxes li')) other.classList.toggle('selected', other === item);
          document.getElementById('messages').tBodies[0].replaceChildren();
          refresh();
        });
        refresh();
        </script>
        </body>
        </html>
        """#
}
