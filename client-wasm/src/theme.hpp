// The client's look: one dark palette, spacing scaled to the device pixel ratio, and
// DejaVu Sans rasterised at device resolution so text stays crisp on high-DPI screens.
#pragma once

#include "imgui.h"

namespace parley::web {

struct Palette {
  ImVec4 background{0.086f, 0.094f, 0.114f, 1.0f};
  ImVec4 panel{0.118f, 0.129f, 0.157f, 1.0f};
  ImVec4 card{0.145f, 0.157f, 0.192f, 1.0f};
  ImVec4 card_own{0.129f, 0.165f, 0.231f, 1.0f};
  ImVec4 card_assistant{0.169f, 0.145f, 0.220f, 1.0f};
  ImVec4 text{0.902f, 0.910f, 0.933f, 1.0f};
  ImVec4 text_dim{0.545f, 0.576f, 0.655f, 1.0f};
  ImVec4 accent{0.357f, 0.553f, 0.937f, 1.0f};
  ImVec4 assistant{0.655f, 0.545f, 0.980f, 1.0f};
  ImVec4 ok{0.290f, 0.871f, 0.502f, 1.0f};
  ImVec4 warn{0.984f, 0.749f, 0.141f, 1.0f};
  ImVec4 error{0.973f, 0.443f, 0.443f, 1.0f};
  ImVec4 error_bg{0.290f, 0.106f, 0.122f, 1.0f};
};

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* title = nullptr;  // bold, larger
};

inline constexpr float kBaseFontPx = 16.0f;

// Resets ImGui's style to the dark theme with sizes multiplied by `scale`.
void apply_theme(float scale);
// Rebuilds the font atlas at kBaseFontPx * scale; falls back to ImGui's built-in font
// when the preloaded files are missing.
Fonts load_fonts(float scale);

}  // namespace parley::web
