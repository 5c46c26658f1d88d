#include "sign_in_window.hpp"

#include <algorithm>
#include <string>

#include "imgui_stdlib.h"

namespace parley::web {

void SignInWindow::draw(const client::AppModel& model, client::Intents& intents) {
  widgets.clear();
  const Palette p;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("sign-in", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);

  const float scale = ImGui::GetFontSize() / kBaseFontPx;
  const float card_w = std::min(vp->WorkSize.x - 32 * scale, 420 * scale);
  const float card_h = card_height > 0.0f ? card_height : 300 * scale;
  ImGui::SetCursorPos(ImVec2((vp->WorkSize.x - card_w) * 0.5f,
                             std::max(16 * scale, (vp->WorkSize.y - card_h) * 0.45f)));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, p.panel);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(28 * scale, 24 * scale));
  ImGui::BeginChild("card", ImVec2(card_w, card_h), false,
                    ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);

  ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted("Parley");
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, p.text_dim);
  ImGui::TextWrapped(
      "Real-time chat with a built-in assistant. Choose a display name to join #%s, or sign "
      "in to your account with its password.",
      model.session().room().c_str());
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, 6 * scale));

  ImGui::TextUnformatted("Your name");
  std::string name = model.name_draft();
  if (focus_name) {
    ImGui::SetKeyboardFocusHere();
    focus_name = false;
  }
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputTextWithHint("##name", "e.g. Ada", &name,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  widgets.record("name_input");
  if (name != model.name_draft()) intents.name_draft = name;
  if (enter) focus_name = true;  // keep typing after a refused name

  ImGui::TextUnformatted("Password (accounts only)");
  std::string password = password_;
  ImGui::SetNextItemWidth(-1);
  const bool enter_password = ImGui::InputTextWithHint(
      "##password", "leave empty to just use a name", &password,
      ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
  widgets.record("password_input");
  if (password != password_) {
    password_ = password;
    intents.password_draft = password;
  }

  ImGui::Dummy(ImVec2(0, 4 * scale));
  ImGui::BeginDisabled(model.signing_in());
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const bool clicked = ImGui::Button(model.password_entered() ? "Sign in" : "Join",
                                     ImVec2(half, 0));
  widgets.record("join_button");
  ImGui::SameLine();
  const bool create = ImGui::Button("Create account", ImVec2(-1, 0));
  widgets.record("create_account_button");
  ImGui::EndDisabled();
  if (enter || enter_password || clicked || create) {
    intents.name_draft = name;
    intents.password_draft = password_;
    if (create) {
      intents.create_account = true;
    } else {
      intents.join = true;
    }
    password_.clear();  // the model keeps it only until the server answered
  }
  if (model.signing_in()) ImGui::TextColored(p.text_dim, "Signing in…");

  const std::string* complaint = nullptr;
  std::string server_error;
  if (!model.refusal().empty()) {
    complaint = &model.refusal();
  } else if (const auto& e = model.session().last_error()) {
    server_error = e->message.empty() ? e->code : e->message;
    complaint = &server_error;
  }
  if (complaint != nullptr) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.error);
    ImGui::TextWrapped("%s", complaint->c_str());
    ImGui::PopStyleColor();
  }

  card_height = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y -
                ImGui::GetStyle().ItemSpacing.y;
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::End();
}

}  // namespace parley::web
