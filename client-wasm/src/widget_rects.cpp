#include "widget_rects.hpp"

#include <cstdio>

namespace parley::web {

void WidgetRects::record(std::string name) {
  rects_.push_back({std::move(name), ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
}

std::string WidgetRects::to_json(float pixel_ratio) const {
  const float k = pixel_ratio > 0.0f ? 1.0f / pixel_ratio : 1.0f;
  std::string out = "{";
  for (const Rect& r : rects_) {
    char buf[224];
    std::snprintf(buf, sizeof buf, "%s\"%s\":{\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f}",
                  out.size() > 1 ? "," : "", r.name.c_str(), r.min.x * k, r.min.y * k,
                  (r.max.x - r.min.x) * k, (r.max.y - r.min.y) * k);
    out += buf;
  }
  out += "}";
  return out;
}

}  // namespace parley::web
