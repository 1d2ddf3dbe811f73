#pragma once

// JSON forms of the model for our protocols (gateway reply, desk ingest). Element names are the
// OQS ones ("InsurerNumber"), so a reader of docs/protocol/ recognises the XML they come from.

#include "base/result.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/qualification.hpp"

#include <nlohmann/json.hpp>

namespace uketsuke::kiosk::model {

nlohmann::json toJson(const QualificationResult& result);
// Errors: BadReply with the offending key in the message (never a value).
Result<QualificationResult> qualificationFromJson(const nlohmann::json& json);

nlohmann::json toJson(const CheckIn& checkIn);
Result<CheckIn> checkInFromJson(const nlohmann::json& json);

} // namespace uketsuke::kiosk::model
