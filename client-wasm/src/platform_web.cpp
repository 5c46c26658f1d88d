#include "platform_web.hpp"

#include <emscripten.h>
#include <emscripten/em_math.h>
#include <emscripten/html5.h>
#include <emscripten/websocket.h>

#include <cstdio>
#include <cstdlib>

#include "imgui.h"

namespace parley::web {
namespace {

// clang-format off
EM_JS(char*, js_websocket_url, (), {
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  var n = lengthBytesUTF8(url) + 1;
  var p = _malloc(n);
  stringToUTF8(url, p, n);
  return p;
});

EM_JS(void, js_fill_random, (unsigned char* buf, int n), {
  crypto.getRandomValues(HEAPU8.subarray(buf, buf + n));
});

EM_JS(int, js_timezone_offset_minutes, (), {
  return -new Date().getTimezoneOffset();
});

EM_JS(void, js_clipboard_write, (const char* text), {
  var s = UTF8ToString(text);
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(s).catch(function() {});
  }
});

EM_JS(void, js_install_paste_listener, (), {
  document.addEventListener("paste", function(e) {
    var text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
    if (!text) return;
    e.preventDefault();
    var n = lengthBytesUTF8(text) + 1;
    var p = _malloc(n);
    stringToUTF8(text, p, n);
    _parley_paste(p);
    _free(p);
  });
});

// localStorage can be missing or refuse (private modes, full quota): then the session
// simply does not survive a reload.
EM_JS(char*, js_storage_get, (const char* key), {
  var value = null;
  try { value = window.localStorage.getItem(UTF8ToString(key)); } catch (e) {}
  if (value === null) return 0;
  var n = lengthBytesUTF8(value) + 1;
  var p = _malloc(n);
  stringToUTF8(value, p, n);
  return p;
});

EM_JS(void, js_storage_set, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});

EM_JS(void, js_install_lifecycle_listeners, (), {
  document.addEventListener("visibilitychange", function() {
    _parley_page_visible(document.visibilityState === "visible" ? 1 : 0);
  });
  window.addEventListener("online", function() { _parley_network(1); });
  window.addEventListener("offline", function() { _parley_network(0); });
});

// POST /api/v1/accounts (when creating) then POST /api/v1/token; the answer comes back
// through parley_login_result.
EM_JS(void, js_request_token, (const char* name_ptr, const char* password_ptr, int create), {
  var name = UTF8ToString(name_ptr);
  var password = UTF8ToString(password_ptr);
  var text = function(s) {
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
  };
  var finish = function(ok, user, token, error) {
    var a = text(user), b = text(token), c = text(error);
    _parley_login_result(ok, a, b, c);
    _free(a); _free(b); _free(c);
  };
  var post = function(path, body) {
    return fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                        body: JSON.stringify(body)})
      .then(function(r) { return r.json().then(function(j) { return {status: r.status, body: j}; }); });
  };
  var why = function(r, fallback) {
    return (r.body && r.body.error && r.body.error.message) || fallback;
  };
  var first = create ? post("/api/v1/accounts", {name: name, password: password})
                     : Promise.resolve({status: 201});
  first.then(function(r) {
    if (r.status >= 300) return finish(0, "", "", why(r, "the account could not be created"));
    return post("/api/v1/token", {name: name, password: password}).then(function(t) {
      if (t.status !== 200) return finish(0, "", "", why(t, "sign-in failed"));
      finish(1, t.body.user, t.body.token, "");
    });
  }).catch(function() { finish(0, "", "", "the server could not be reached"); });
});

// The browser's file picker; the chosen file's bytes go to parley_file_chosen. Called
// right after the click on "Upload file…" (the browser allows it within the click's
// user activation).
EM_JS(void, js_pick_file, (), {
  var input = document.createElement("input");
  input.type = "file";
  input.accept = ".txt,.md,.markdown,.csv,.tsv,.json,.log,.pdf,.c,.cc,.cpp,.h,.hpp,.py,.js,.ts," +
                 ".java,.go,.rs,.rb,.sh,.sql,.html,.css,.xml,.yaml,.yml,.toml,.ini";
  input.style.display = "none";
  input.addEventListener("change", function() {
    var file = input.files && input.files[0];
    input.remove();
    if (!file) return;
    file.arrayBuffer().then(function(buffer) {
      var bytes = new Uint8Array(buffer);
      var text = function(s) {
        var n = lengthBytesUTF8(s) + 1;
        var p = _malloc(n);
        stringToUTF8(s, p, n);
        return p;
      };
      var name = text(file.name), type = text(file.type || "");
      var data = _malloc(Math.max(1, bytes.length));
      HEAPU8.set(bytes, data);
      _parley_file_chosen(name, type, data, bytes.length);
      _free(name); _free(type); _free(data);
    });
  });
  document.body.appendChild(input);
  input.click();
});

EM_JS(int, js_navigator_online, (), {
  return navigator.onLine === false ? 0 : 1;
});

EM_JS(void, js_page_ready, (), {
  if (typeof window.parleyReady === "function") window.parleyReady();
});
// clang-format on

constexpr const char* kSessionKey = "parley.session.v1";

void set_clipboard(void*, const char* text) { js_clipboard_write(text); }

// Ctrl+V inside ImGui must not paste a second time: the 'paste' event does it.
const char* get_clipboard(void*) { return ""; }

EM_BOOL handle_open(int, const EmscriptenWebSocketOpenEvent* e, void* self) {
  static_cast<WebSocketTransport*>(self)->on_open(e->socket);
  return EM_TRUE;
}

EM_BOOL handle_message(int, const EmscriptenWebSocketMessageEvent* e, void* self) {
  if (!e->isText) return EM_TRUE;  // the protocol is text frames only
  // numBytes counts the terminating NUL Emscripten adds to text frames.
  const std::size_t n = e->numBytes > 0 ? e->numBytes - 1 : 0;
  static_cast<WebSocketTransport*>(self)->on_message(
      e->socket, std::string_view(reinterpret_cast<const char*>(e->data), n));
  return EM_TRUE;
}

EM_BOOL handle_close(int, const EmscriptenWebSocketCloseEvent* e, void* self) {
  static_cast<WebSocketTransport*>(self)->on_close(e->socket, e->code);
  return EM_TRUE;
}

}  // namespace

std::string load_session() {
  char* value = js_storage_get(kSessionKey);
  if (value == nullptr) return {};
  std::string out(value);
  std::free(value);
  return out;
}

void store_session(const std::string& json) { js_storage_set(kSessionKey, json.c_str()); }

void install_lifecycle_listeners() { js_install_lifecycle_listeners(); }

bool navigator_online() { return js_navigator_online() != 0; }

void request_token(const std::string& name, const std::string& password, bool create) {
  js_request_token(name.c_str(), password.c_str(), create ? 1 : 0);
}

std::int64_t now_ms() { return static_cast<std::int64_t>(emscripten_date_now()); }

std::string random_client_id() {
  unsigned char bytes[16];
  js_fill_random(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xF];
  }
  return id;
}

double random01() { return emscripten_math_random(); }

int timezone_offset_minutes() { return js_timezone_offset_minutes(); }

float device_pixel_ratio() {
  const double r = emscripten_get_device_pixel_ratio();
  return r > 0.0 ? static_cast<float>(r) : 1.0f;
}

void canvas_size(int& width, int& height) {
  if (emscripten_get_canvas_element_size("#canvas", &width, &height) != EMSCRIPTEN_RESULT_SUCCESS) {
    width = height = 0;
  }
}

std::string websocket_url() {
  char* url = js_websocket_url();
  std::string out = url;
  std::free(url);
  return out;
}

void pick_file() { js_pick_file(); }

void notify_page_ready() { js_page_ready(); }

void install_clipboard() {
  ImGuiIO& io = ImGui::GetIO();
  io.SetClipboardTextFn = set_clipboard;
  io.GetClipboardTextFn = get_clipboard;
  io.ClipboardUserData = nullptr;
  js_install_paste_listener();
}

void WebSocketTransport::pump(client::Session& session, std::int64_t now) {
  session_ = &session;
  if (session.take_close_request()) close();
  if (session.take_connect_request(now)) open(session, now);
  flush(session);
}

void WebSocketTransport::open(client::Session& session, std::int64_t now) {
  close();
  const std::string url = websocket_url();
  EmscriptenWebSocketCreateAttributes attrs;
  emscripten_websocket_init_create_attributes(&attrs);
  attrs.url = url.c_str();
  attrs.protocols = nullptr;
  attrs.createOnMainThread = EM_TRUE;
  const EMSCRIPTEN_WEBSOCKET_T socket = emscripten_websocket_new(&attrs);
  if (socket <= 0) {
    session.on_disconnected(now, "cannot open a WebSocket");
    return;
  }
  socket_ = socket;
  emscripten_websocket_set_onopen_callback(socket, this, handle_open);
  emscripten_websocket_set_onmessage_callback(socket, this, handle_message);
  emscripten_websocket_set_onclose_callback(socket, this, handle_close);
}

void WebSocketTransport::close() {
  if (socket_ <= 0) return;
  emscripten_websocket_close(socket_, 1000, "client closing");
  emscripten_websocket_delete(socket_);
  socket_ = 0;
  open_ = false;
}

void WebSocketTransport::flush(client::Session& session) {
  std::vector<std::string> frames = session.take_outbox();
  if (!open_) return;
  for (const std::string& frame : frames) {
    if (emscripten_websocket_send_utf8_text(socket_, frame.c_str()) != EMSCRIPTEN_RESULT_SUCCESS) {
      std::fprintf(stderr, "parley: WebSocket write failed\n");
    }
  }
}

void WebSocketTransport::on_open(int socket) {
  if (socket != socket_ || session_ == nullptr) return;
  open_ = true;
  session_->on_connected(now_ms());
  flush(*session_);
}

void WebSocketTransport::on_message(int socket, std::string_view text) {
  if (socket != socket_ || session_ == nullptr) return;
  session_->on_frame(now_ms(), text);
  flush(*session_);
}

void WebSocketTransport::on_close(int socket, unsigned short code) {
  if (socket != socket_ || session_ == nullptr) return;
  emscripten_websocket_delete(socket_);
  socket_ = 0;
  open_ = false;
  session_->on_disconnected(now_ms(), "closed (code " + std::to_string(code) + ")");
}

}  // namespace parley::web
