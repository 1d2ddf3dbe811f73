#include "kiosk/eligibility/combined_source.hpp"

#include <utility>

namespace uketsuke::kiosk::eligibility {

CombinedSource::CombinedSource(std::unique_ptr<EligibilitySource> cardSource,
                               std::unique_ptr<EligibilitySource> lookupSource)
    : m_cardSource(std::move(cardSource)), m_lookupSource(std::move(lookupSource))
{
}

Capabilities CombinedSource::capabilities() const
{
    Capabilities c;
    c.myNumberCard = m_cardSource && m_cardSource->capabilities().myNumberCard;
    c.insuranceCard = m_lookupSource && m_lookupSource->capabilities().insuranceCard;
    return c;
}

Result<Challenge> CombinedSource::challenge()
{
    if (!m_cardSource) {
        return fail(Errc::NotSupported, "no eligibility source for My Number cards is configured");
    }
    return m_cardSource->challenge();
}

Result<model::QualificationResult> CombinedSource::confirm(const ConfirmRequest& request)
{
    if (!m_cardSource) {
        return fail(Errc::NotSupported, "no eligibility source for My Number cards is configured");
    }
    return m_cardSource->confirm(request);
}

Result<model::QualificationResult> CombinedSource::lookup(const InsuranceCardQuery& query)
{
    if (!m_lookupSource) {
        return fail(Errc::NotSupported,
                    "no eligibility source for insurance card lookups is configured");
    }
    return m_lookupSource->lookup(query);
}

void CombinedSource::cancel()
{
    if (m_cardSource) {
        m_cardSource->cancel();
    }
    if (m_lookupSource) {
        m_lookupSource->cancel();
    }
}

} // namespace uketsuke::kiosk::eligibility
