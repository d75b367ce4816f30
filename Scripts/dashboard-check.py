# Drives headless Chromium over the DevTools protocol (a WebSocket, spoken here with the standard library):
# opens door serve's dashboard, sends mail while it is open, and reports what the page shows as JSON.
import base64, json, os, socket, struct, subprocess, sys, time, urllib.request

chromium, admin, profile, screenshot = sys.argv[1:5]
plain_send = json.loads(sys.argv[5])      # the command that sends a plain message
html_send = json.loads(sys.argv[6])       # the command that sends the message whose HTML has a script
plain_subject, html_subject = sys.argv[7], sys.argv[8]
report = {"errors": []}


class Page:
    def __init__(self, url):
        rest = url[len("ws://"):]
        address, path = rest.split("/", 1)
        host, port = address.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("no WebSocket upgrade: " + head.decode(errors="replace"))
        self.next_id = 0

    def _exact(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        header = bytearray([0x81])
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        self.sock.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _receive(self):
        message = b""
        while True:
            first, second = self._exact(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(length)
            if first & 0x0F in (1, 2, 0):
                message += payload
            if first & 0x80 and first & 0x0F in (0, 1, 2):
                return json.loads(message)

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = self._receive()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait(self, expression, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        return None

    def html(self):
        root = self.call("DOM.getDocument", depth=-1)["root"]["nodeId"]
        return self.call("DOM.getOuterHTML", nodeId=root)["outerHTML"]


browser = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
     "--disable-background-networking", f"--user-data-dir={profile}", "--remote-debugging-port=0",
     "--window-size=1280,1000", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 60
    while not os.path.exists(port_file) or not open(port_file).read().strip():
        if time.time() > deadline:
            raise RuntimeError("Chromium did not open its DevTools port")
        time.sleep(0.1)
    port = open(port_file).read().split()[0]
    targets = []
    while not any(t.get("type") == "page" for t in targets):
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        time.sleep(0.1)
    page = Page(next(t for t in targets if t.get("type") == "page")["webSocketDebuggerUrl"])

    page.call("Page.navigate", url=f"http://{admin}/_door/")
    rows = page.wait("document.querySelectorAll('#services tbody tr').length > 1 && "
                     "Array.from(document.querySelectorAll('#services tbody tr')).map(r => r.dataset.service)", 40)
    report["services"] = sorted(set(rows or []))

    # A mail sent while the page is open must appear without a reload.
    report["before"] = page.evaluate("document.querySelectorAll('#messages tbody tr').length")
    sent = subprocess.run(plain_send, capture_output=True, text=True, timeout=60)
    report["plainSent"] = sent.returncode
    appeared = page.wait("Array.from(document.querySelectorAll('#messages tbody tr .subject'))"
                         f".some(cell => cell.textContent === {json.dumps(plain_subject)})", 30)
    report["appeared"] = bool(appeared)
    report["navigations"] = page.evaluate("performance.getEntriesByType('navigation').length")
    shot = page.call("Page.captureScreenshot", format="png")["data"]
    with open(screenshot, "wb") as file:
        file.write(base64.b64decode(shot))

    # A message whose HTML carries a script: shown only in a sandboxed frame, and its script never runs.
    sent = subprocess.run(html_send, capture_output=True, text=True, timeout=60)
    report["htmlSent"] = sent.returncode
    message_id = page.wait(
        "(Array.from(document.querySelectorAll('#messages tbody tr'))"
        f".find(row => row.querySelector('.subject')?.textContent === {json.dumps(html_subject)}) || {{}}).dataset?.id", 30)
    report["htmlMessageId"] = message_id
    if message_id:
        page.evaluate(f"document.querySelector('#messages tbody tr[data-id=\"{message_id}\"]').click()")
        # The attribute's value, prefixed so that an empty one (grants nothing) is not taken for "not there yet".
        report["frameSandbox"] = page.wait(
            "document.getElementById('message-html') ? "
            "'sandbox=' + document.getElementById('message-html').getAttribute('sandbox') : false", 10)
        report["frameSource"] = page.evaluate("document.getElementById('message-html')?.getAttribute('src')")
        time.sleep(1.5)
        report["dashboardTitle"] = page.evaluate("document.title")
        report["dashboardMarked"] = page.evaluate("document.body.hasAttribute('data-ran')")
        # Opened on its own, as a user might in a new tab: the server's sandbox CSP still stops the script.
        page.call("Page.navigate", url=f"http://{admin}/_door/api/mail/messages/{message_id}/html")
        time.sleep(1.5)
        report["directHTML"] = page.html()
except Exception as error:
    report["errors"].append(f"{type(error).__name__}: {error}")
finally:
    browser.kill()
    browser.wait()
print(json.dumps(report))
