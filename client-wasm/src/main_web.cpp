// Browser entry point: a GLFW window on the page's canvas, Dear ImGui on WebGL2, and one
// frame function driving the session, the transport and the UI.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "app.hpp"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "parley/client_model/app_model.hpp"
#include "parley/client_model/snapshot_json.hpp"
#include "parley/saved_session.hpp"
#include "platform_web.hpp"
#include "theme.hpp"

namespace {

using namespace parley;

struct WebApp {
  GLFWwindow* window = nullptr;
  client::AppModel model{client::SessionOptions{}, web::random_client_id, web::random01,
                         web::timezone_offset_minutes()};
  web::App app;
  web::WebSocketTransport transport;
  float pixel_ratio = 0.0f;
  bool first_frame = true;
  std::vector<int> pressed_this_frame;
  std::vector<std::array<int, 4>> deferred_releases;  // key, scancode, action, mods
  std::string snapshot;  // keeps parley_state_json's result alive until the next call
  std::uint64_t saved_revision = 0;  // of the session last written to localStorage
};

// The exported C functions below have no other way to reach the application.
WebApp* g_app = nullptr;

// Text is rasterised for the screen's pixel ratio and the UI works in device pixels,
// which keeps glyphs sharp where a scaled framebuffer would blur them.
void update_pixel_ratio(WebApp& a) {
  const float ratio = web::device_pixel_ratio();
  if (ratio == a.pixel_ratio) return;
  const bool had_fonts = a.pixel_ratio != 0.0f;
  a.pixel_ratio = ratio;
  web::apply_theme(ratio);
  if (had_fonts) ImGui_ImplOpenGL3_DestroyFontsTexture();
  a.app.set_fonts(web::load_fonts(ratio));
  if (had_fonts) ImGui_ImplOpenGL3_CreateFontsTexture();
}

// Dear ImGui 1.86 samples key state once per frame, so a key pressed and released
// between two frames (fast typists, automated input) would go unseen. Such releases
// are held back until a frame has seen the key down.
void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
  WebApp& a = *g_app;
  if (action == GLFW_PRESS) {
    a.pressed_this_frame.push_back(key);
  } else if (action == GLFW_RELEASE &&
             std::find(a.pressed_this_frame.begin(), a.pressed_this_frame.end(), key) !=
                 a.pressed_this_frame.end()) {
    a.deferred_releases.push_back({key, scancode, action, mods});
    return;
  }
  ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

void release_deferred_keys(WebApp& a) {
  a.pressed_this_frame.clear();
  for (const auto& k : a.deferred_releases) {
    ImGui_ImplGlfw_KeyCallback(a.window, k[0], k[1], k[2], k[3]);
  }
  a.deferred_releases.clear();
}

// Writes the session to localStorage whenever it changed, so a reload carries on from
// the last position with the unsent messages.
void save_session(WebApp& a) {
  const client::Session& s = a.model.session();
  if (s.saved_revision() == a.saved_revision) return;
  a.saved_revision = s.saved_revision();
  web::store_session(client::encode_saved(s.saved()));
}

void restore_session(WebApp& a) {
  const std::string json = web::load_session();
  if (json.empty()) return;
  if (auto saved = client::decode_saved(json); saved && !saved->user.empty()) {
    a.model.session().restore(*saved);
  }
}

void frame() {
  WebApp& a = *g_app;
  const std::int64_t now = web::now_ms();
  update_pixel_ratio(a);
  a.model.tick(now);
  a.transport.pump(a.model.session(), now);

  int width = 0;
  int height = 0;
  web::canvas_size(width, height);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  // The page sizes the canvas backing store (CSS size x devicePixelRatio); GLFW's
  // idea of the window size lags behind it, so the canvas is the truth.
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  // Under a virtual time budget frames can be 0 s apart; ImGui asserts on that.
  if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;

  ImGui::NewFrame();
  release_deferred_keys(a);
  client::Intents intents;
  a.app.draw(a.model, intents);
  ImGui::Render();
  a.model.apply(intents);
  if (intents.pick_file) web::pick_file();
  if (auto login = a.model.take_login_request()) {
    web::request_token(login->name, login->password, login->create);
  }
  a.transport.pump(a.model.session(), now);
  save_session(a);

  glViewport(0, 0, width, height);
  const ImVec4 bg = web::Palette{}.background;
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  if (a.first_frame) {
    a.first_frame = false;
    web::notify_page_ready();
  }
}

// One notch of a mouse wheel is about 100 px (Chromium), 3 lines (Firefox) or one
// page; ImGui scrolls five lines per unit, positive up.
EM_BOOL wheel_callback(int, const EmscriptenWheelEvent* e, void*) {
  double unit = 100.0;
  if (e->deltaMode == DOM_DELTA_LINE) unit = 3.0;
  if (e->deltaMode == DOM_DELTA_PAGE) unit = 1.0;
  ImGuiIO& io = ImGui::GetIO();
  io.MouseWheel -= static_cast<float>(e->deltaY / unit);
  io.MouseWheelH -= static_cast<float>(e->deltaX / unit);
  return EM_TRUE;  // the page itself does not scroll
}

void glfw_error(int code, const char* message) {
  std::fprintf(stderr, "parley: GLFW error %d: %s\n", code, message);
}

}  // namespace

extern "C" {

// window.parley.state() in the page parses this; the pointer stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* parley_state_json() {
  if (g_app == nullptr) return "null";
  std::string json = client::snapshot_json(g_app->model);
  json.pop_back();  // reopen the object to add where the widgets are
  json += ",\"widgets\":" + g_app->app.widgets().to_json(g_app->pixel_ratio);
  json += ",\"view\":" + g_app->app.chat.view.to_json() + "}";
  g_app->snapshot = std::move(json);
  return g_app->snapshot.c_str();
}

// The page was hidden, or became visible again: then reconnect now rather than after
// the backoff, and make sure a connection that died in the background is noticed
// quickly. Messages count as read only while the page is visible.
EMSCRIPTEN_KEEPALIVE void parley_page_visible(int visible) {
  if (g_app == nullptr) return;
  if (visible == 0) {
    g_app->model.session().set_visible(false);
    return;
  }
  g_app->model.session().on_visible(parley::web::now_ms());
  g_app->transport.pump(g_app->model.session(), parley::web::now_ms());
}

// The server's answer to a token request (see platform_web.hpp).
EMSCRIPTEN_KEEPALIVE void parley_login_result(int ok, const char* user, const char* token,
                                              const char* error) {
  if (g_app == nullptr) return;
  g_app->model.login_result(ok != 0, user ? user : "", token ? token : "", error ? error : "");
}

// The browser's online/offline events.
EMSCRIPTEN_KEEPALIVE void parley_network(int online) {
  if (g_app == nullptr) return;
  g_app->model.session().set_online(online != 0);
  g_app->transport.pump(g_app->model.session(), parley::web::now_ms());
}

// A file chosen in the browser's file picker: uploaded to the room on screen.
EMSCRIPTEN_KEEPALIVE void parley_file_chosen(const char* name, const char* type,
                                             const unsigned char* data, int size) {
  if (g_app == nullptr || name == nullptr || data == nullptr || size < 0) return;
  g_app->model.file_chosen(name, type ? type : "",
                           std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)));
  g_app->transport.pump(g_app->model.session(), parley::web::now_ms());
}

// Called by the page's 'paste' listener: types the text into the focused field.
EMSCRIPTEN_KEEPALIVE void parley_paste(const char* text) {
  if (g_app == nullptr || text == nullptr) return;
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) io.AddInputCharactersUTF8(text);
}

}  // extern "C"

int main() {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);

  int width = 0;
  int height = 0;
  parley::web::canvas_size(width, height);
  if (width <= 0 || height <= 0) {
    width = 1280;
    height = 800;
  }
  GLFWwindow* window = glfwCreateWindow(width, height, "Parley", nullptr, nullptr);
  if (window == nullptr) return 1;
  glfwMakeContextCurrent(window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing to persist between visits
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  parley::web::install_clipboard();

  g_app = new WebApp;  // lives as long as the page
  g_app->window = window;
  glfwSetKeyCallback(window, key_callback);  // replaces ImGui's, which it forwards to
  // Emscripten's GLFW passes the DOM wheel delta through raw (about 100 per notch, in
  // the page's direction), which would scroll the wrong way by pages: the wheel goes to
  // ImGui from the DOM event instead, in notches.
  glfwSetScrollCallback(window, [](GLFWwindow*, double, double) {});
  emscripten_set_wheel_callback("#canvas", nullptr, true, wheel_callback);
  update_pixel_ratio(*g_app);
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  g_app->model.session().set_online(parley::web::navigator_online());
  restore_session(*g_app);
  g_app->saved_revision = g_app->model.session().saved_revision();
  parley::web::install_lifecycle_listeners();

  emscripten_set_main_loop(frame, 0, 1);
  return 0;
}
