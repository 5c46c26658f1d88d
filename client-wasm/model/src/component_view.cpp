#include "parley/client_model/component_view.hpp"

#include <nlohmann/json.hpp>

namespace parley::client {

std::optional<ComponentView> make_component_view(const Entry& e,
                                                 const std::map<std::string, std::string>& drafts) {
  if (e.component.empty()) return std::nullopt;
  const auto j = nlohmann::json::parse(e.component, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  ComponentView c;
  c.seq = e.seq;
  c.id = j.value("id", "");
  c.type = j.value("type", "");
  c.title = j.value("title", "");
  c.error = j.value("error", "");
  c.submit_label = j.value("submit_label", "Submit");
  for (const auto& f : j.value("fields", nlohmann::json::array())) {
    if (!f.is_object()) continue;
    ComponentField field;
    field.name = f.value("name", "");
    if (field.name.empty()) continue;
    field.label = f.value("label", field.name);
    field.type = f.value("type", "text");
    field.required = f.value("required", false);
    const auto draft = drafts.find(field.name);
    field.value = draft != drafts.end() ? draft->second : f.value("value", "");
    c.fields.push_back(std::move(field));
  }
  for (const auto& b : j.value("buttons", nlohmann::json::array())) {
    if (!b.is_object() || b.value("id", "").empty()) continue;
    c.buttons.push_back({b.value("id", ""), b.value("label", b.value("id", ""))});
  }
  if (c.type != "form" && c.type != "buttons") return std::nullopt;
  return c;
}

std::string missing_fields(const ComponentView& c) {
  std::string out;
  for (const auto& f : c.fields) {
    if (!f.required || f.value.find_first_not_of(" \t") != std::string::npos) continue;
    if (!out.empty()) out += ", ";
    out += f.label;
  }
  return out;
}

}  // namespace parley::client
