#include "theme.hpp"

#include <cstdio>

namespace parley::web {
namespace {

constexpr const char* kRegularPath = "/fonts/DejaVuSans.ttf";
constexpr const char* kBoldPath = "/fonts/DejaVuSans-Bold.ttf";

bool file_exists(const char* path) {
  if (std::FILE* f = std::fopen(path, "rb")) {
    std::fclose(f);
    return true;
  }
  return false;
}

// Latin + Latin Extended, Greek, Cyrillic, and the punctuation and symbols the UI
// itself draws (…, ●, ✓, ▍). Static storage: ImGui keeps the pointer.
const ImWchar* glyph_ranges() {
  static const ImWchar ranges[] = {
      0x0020, 0x024F,  // Basic Latin, Latin-1, Latin Extended-A and -B
      0x0370, 0x03FF,  // Greek and Coptic
      0x0400, 0x052F,  // Cyrillic and Cyrillic Supplement
      0x1E00, 0x1EFF,  // Latin Extended Additional
      0x2000, 0x206F,  // General Punctuation
      0x20A0, 0x20CF,  // Currency Symbols
      0x2190, 0x21FF,  // Arrows
      0x2580, 0x25FF,  // Block Elements, Geometric Shapes
      0x2700, 0x27BF,  // Dingbats
      0,
  };
  return ranges;
}

}  // namespace

void apply_theme(float scale) {
  const Palette p;
  ImGuiStyle style;
  ImGui::StyleColorsDark(&style);
  style.WindowPadding = ImVec2(16, 14);
  style.FramePadding = ImVec2(10, 7);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.ScrollbarSize = 12;
  style.WindowRounding = 0;
  style.ChildRounding = 8;
  style.FrameRounding = 6;
  style.PopupRounding = 6;
  style.ScrollbarRounding = 6;
  style.GrabRounding = 6;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 0;
  style.FrameBorderSize = 1;

  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = p.text;
  c[ImGuiCol_TextDisabled] = p.text_dim;
  c[ImGuiCol_WindowBg] = p.background;
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = p.panel;
  c[ImGuiCol_Border] = ImVec4(0.235f, 0.255f, 0.306f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.102f, 0.110f, 0.133f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.133f, 0.145f, 0.176f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.145f, 0.157f, 0.192f, 1.0f);
  // Deep enough that white labels stay readable (contrast above 4.5:1).
  c[ImGuiCol_Button] = ImVec4(0.204f, 0.380f, 0.780f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.259f, 0.447f, 0.847f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.165f, 0.318f, 0.690f, 1.0f);
  c[ImGuiCol_Header] = p.card;
  c[ImGuiCol_HeaderHovered] = p.card_own;
  c[ImGuiCol_HeaderActive] = p.card_own;
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = ImVec4(0.235f, 0.255f, 0.306f, 1.0f);
  c[ImGuiCol_ScrollbarGrabHovered] = ImVec4(0.310f, 0.333f, 0.396f, 1.0f);
  c[ImGuiCol_ScrollbarGrabActive] = ImVec4(0.380f, 0.408f, 0.482f, 1.0f);
  c[ImGuiCol_TextSelectedBg] = ImVec4(0.357f, 0.553f, 0.937f, 0.40f);
  c[ImGuiCol_NavHighlight] = p.accent;
  c[ImGuiCol_Separator] = ImVec4(0.200f, 0.216f, 0.259f, 1.0f);

  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

Fonts load_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  Fonts fonts;
  const float px = kBaseFontPx * scale;
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  if (file_exists(kRegularPath)) {
    fonts.regular = io.Fonts->AddFontFromFileTTF(kRegularPath, px, &config, glyph_ranges());
  }
  if (fonts.regular != nullptr && file_exists(kBoldPath)) {
    fonts.bold = io.Fonts->AddFontFromFileTTF(kBoldPath, px, &config, glyph_ranges());
    fonts.title = io.Fonts->AddFontFromFileTTF(kBoldPath, px * 1.5f, &config, glyph_ranges());
  }
  if (fonts.regular == nullptr) {
    std::fprintf(stderr, "parley: %s missing, using the built-in ASCII font\n", kRegularPath);
    ImFontConfig fallback;
    fallback.SizePixels = px;
    fonts.regular = io.Fonts->AddFontDefault(&fallback);
  }
  if (fonts.bold == nullptr) fonts.bold = fonts.regular;
  if (fonts.title == nullptr) fonts.title = fonts.bold;
  io.FontDefault = fonts.regular;
  io.Fonts->Build();
  return fonts;
}

}  // namespace parley::web
