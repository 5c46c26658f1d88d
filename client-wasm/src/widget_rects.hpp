// Where the main widgets were drawn this frame, published read-only in the page's
// state hook so end-to-end tests can aim real mouse clicks at them.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace parley::web {

class WidgetRects {
 public:
  void clear() { rects_.clear(); }
  // Records ImGui's last item under `name`.
  void record(std::string name);
  // {"name":{"x":..,"y":..,"w":..,"h":..},...} in CSS pixels (device pixels / ratio).
  std::string to_json(float pixel_ratio) const;

 private:
  struct Rect {
    std::string name;
    ImVec2 min;
    ImVec2 max;
  };
  std::vector<Rect> rects_;
};

}  // namespace parley::web
