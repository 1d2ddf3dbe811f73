// The eligibility sources every build has: "gateway" (My Number card check-ins through the
// gateway, mutual TLS) and "oqs-files" (lookups by insurance card through the 資格確認端末's
// req/res folders). `eligibility.source = "gateway+oqs-files"` combines both (kiosk/app/app.cpp).

#include "kiosk/app/devices.hpp"
#include "kiosk/eligibility/gateway_source.hpp"
#include "kiosk/eligibility/oqs_files_source.hpp"

namespace uketsuke::kiosk::app {

void registerEligibility(DeviceRegistry& registry)
{
    registry.addEligibility(
        "gateway", [](const config::KioskConfig& config, const EligibilityContext& context)
                       -> Result<std::unique_ptr<eligibility::EligibilitySource>> {
            const auto& tls = config.gatewayTls;
            return std::unique_ptr<eligibility::EligibilitySource>(
                std::make_unique<eligibility::GatewaySource>(
                    config.gatewayUrl, net::TlsFiles{tls.ca, tls.cert, tls.key},
                    context.timeouts, context.terminalId, config.clinicCode));
        });
    registry.addEligibility(
        "oqs-files", [](const config::KioskConfig& config, const EligibilityContext&)
                         -> Result<std::unique_ptr<eligibility::EligibilitySource>> {
            eligibility::OqsFilesOptions oqs;
            oqs.requestDir = config.oqs.reqDir;
            oqs.resultDir = config.oqs.resDir;
            oqs.medicalInstitutionCode = config.clinicCode;
            oqs.encoding = config.oqs.encoding;
            oqs.timeout = config.oqs.timeout;
            auto source = eligibility::OqsFilesSource::create(std::move(oqs));
            if (!source) {
                return fail(std::move(source).error()); // names oqs.req_dir / oqs.res_dir
            }
            return std::unique_ptr<eligibility::EligibilitySource>(std::move(*source));
        });
}

} // namespace uketsuke::kiosk::app
