// Everything that touches the browser besides GLFW: time, randomness, the page's
// location, the canvas, the clipboard, and the WebSocket that carries the session.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parley/client_session.hpp"

namespace parley::web {

std::int64_t now_ms();            // wall clock, milliseconds since the Unix epoch
std::string random_client_id();   // 32 hex digits from crypto.getRandomValues
double random01();
int timezone_offset_minutes();    // minutes to add to UTC for local time
float device_pixel_ratio();
void canvas_size(int& width, int& height);  // backing-store pixels
std::string websocket_url();      // ws(s)://<page host>/ws
void notify_page_ready();         // hides the page's loading indicator
void pick_file();                 // the browser's file picker; the file goes to parley_file_chosen

// The saved session (client::SavedSession as JSON) in localStorage; "" when none.
std::string load_session();
void store_session(const std::string& json);
// 'visibilitychange', 'online' and 'offline' call parley_page_visible and
// parley_network, exported by main_web.cpp.
void install_lifecycle_listeners();
bool navigator_online();
// Asks the server for a token (creating the account first when `create`); the answer
// arrives through parley_login_result, exported by main_web.cpp.
void request_token(const std::string& name, const std::string& password, bool create);

// Copy goes to navigator.clipboard; paste arrives through the page's 'paste' event
// (browsers only hand clipboard text to such events) and is typed into the focused field.
void install_clipboard();

// Opens, feeds and closes the WebSocket as the session asks.
class WebSocketTransport {
 public:
  WebSocketTransport() = default;
  WebSocketTransport(const WebSocketTransport&) = delete;
  WebSocketTransport& operator=(const WebSocketTransport&) = delete;

  // Carries out the session's requests: close, connect, write queued frames.
  void pump(client::Session& session, std::int64_t now_ms);

  // Socket events; those of a socket already given up are ignored.
  void on_open(int socket);
  void on_message(int socket, std::string_view text);
  void on_close(int socket, unsigned short code);

 private:
  void open(client::Session& session, std::int64_t now_ms);
  void close();
  void flush(client::Session& session);

  client::Session* session_ = nullptr;
  int socket_ = 0;
  bool open_ = false;
};

}  // namespace parley::web
