using System.Reflection;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Live;
using OzonActors.Gateway.Tests.OzonId;
using OzonActors.Gateway.Tests.Referral;
using OzonActors.Gateway.Tests.Returns;
using OzonActors.Gateway.Tests.StarProducts;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests;

/// <summary>
/// Every route of the OpenAPI document is called by a test that checks its effect. The map below names, for each
/// (method, path template), the test that does; a route added without a test, a route removed without its entry, or
/// an entry naming a test that no longer exists (or is skipped) fails here. (A map rather than recording the routes
/// hit during the run: a recording is only complete when the whole assembly ran, which a filtered run cannot tell, and
/// some tests reach the routes through gateway processes this test cannot observe.)
/// </summary>
public sealed class RouteCoverageTests
{
    /// <summary>"METHOD /path/{template}" → the test that calls it and checks what it did.</summary>
    private static readonly Dictionary<string, (Type Class, string Test)> Covered = new()
    {
        // Ozon ID
        ["POST /api/auth/code"] = (typeof(LoginTests), nameof(LoginTests.A_phone_logs_in_with_the_code_the_dev_provider_kept)),
        ["POST /api/auth/code/resend"] = (typeof(LoginTests), nameof(LoginTests.Resend_inside_sixty_seconds_is_429_and_after_it_a_new_code_replaces_the_old)),
        ["POST /api/auth/login"] = (typeof(LoginTests), nameof(LoginTests.A_phone_logs_in_with_the_code_the_dev_provider_kept)),
        ["POST /api/auth/logout"] = (typeof(LoginTests), nameof(LoginTests.Logout_ends_the_session)),
        ["POST /api/auth/password"] = (typeof(CompanyTests),
            nameof(CompanyTests.A_seller_account_on_an_untrusted_device_needs_email_and_password_once_then_Ozon_ID_is_enough)),
        ["POST /api/auth/refresh"] = (typeof(LoginTests), nameof(LoginTests.Refresh_rotates_and_a_reused_refresh_token_revokes_the_family)),
        ["POST /api/auth/switch"] = (typeof(CompanyTests), nameof(CompanyTests.One_Ozon_ID_holds_several_companies_and_switches_without_a_password)),
        ["GET /api/dev/sms"] = (typeof(LoginTests), nameof(LoginTests.A_phone_logs_in_with_the_code_the_dev_provider_kept)),
        ["GET /api/me"] = (typeof(LoginTests), nameof(LoginTests.A_phone_logs_in_with_the_code_the_dev_provider_kept)),
        ["POST /api/me/companies/link"] = (typeof(CompanyTests),
            nameof(CompanyTests.An_existing_company_is_added_by_its_email_and_password_and_cannot_be_taken_by_another_Ozon_ID)),
        ["POST /api/me/phone/change"] = (typeof(CodeDeliveryTests), nameof(CodeDeliveryTests.A_phone_change_is_confirmed_on_both_phones_and_the_old_one_is_told)),
        ["POST /api/me/phone/change/confirm-current"] = (typeof(CodeDeliveryTests),
            nameof(CodeDeliveryTests.A_phone_change_is_confirmed_on_both_phones_and_the_old_one_is_told)),
        ["POST /api/me/phone/change/new"] = (typeof(CodeDeliveryTests),
            nameof(CodeDeliveryTests.A_phone_change_is_confirmed_on_both_phones_and_the_old_one_is_told)),
        ["POST /api/me/phone/change/confirm-new"] = (typeof(CodeDeliveryTests),
            nameof(CodeDeliveryTests.A_phone_change_is_confirmed_on_both_phones_and_the_old_one_is_told)),
        ["POST /api/companies"] = (typeof(CompanyTests), nameof(CompanyTests.One_Ozon_ID_holds_several_companies_and_switches_without_a_password)),
        ["GET /api/companies/{companyId}"] = (typeof(CompanyTests), nameof(CompanyTests.Tokens_of_company_A_get_403_on_company_B)),
        ["POST /api/companies/{companyId}/invitations"] = (typeof(CompanyTests), nameof(CompanyTests.An_email_has_at_most_one_seller_account)),
        ["DELETE /api/companies/{companyId}/accounts/{accountId}"] = (typeof(CompanyTests),
            nameof(CompanyTests.An_administrator_invites_and_deletes_employees_but_not_directors)),
        ["POST /api/invitations/{token}/accept"] = (typeof(CompanyTests), nameof(CompanyTests.An_email_has_at_most_one_seller_account)),

        // Returns
        ["POST /api/internal/orders"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Orders_come_in_only_with_the_internal_key_and_a_replay_changes_nothing)),
        ["GET /api/internal/orders/{orderId}"] = (typeof(ReturnsEndpointsTests),
            nameof(ReturnsEndpointsTests.The_internal_order_endpoint_answers_the_recorded_order_with_what_is_left_to_return)),
        ["GET /api/moderation/sellers/{sellerId}/pre-moderation"] = (typeof(ReturnsEndpointsTests),
            nameof(ReturnsEndpointsTests.Moderators_read_a_sellers_pre_moderation_as_it_was_last_set)),
        ["PUT /api/moderation/sellers/{sellerId}/pre-moderation"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.Moderators_pre_moderate_a_seller_and_decide_disputes_others_may_not)),
        ["POST /api/returns"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.A_customer_creates_a_request_the_seller_sees_it_at_once_and_approving_shows_in_both_lists_at_once)),
        ["GET /api/returns/{id}"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Nobody_else_can_see_or_act_on_a_request)),
        ["POST /api/returns/{id}/cancel"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Orders_come_in_only_with_the_internal_key_and_a_replay_changes_nothing)),
        ["POST /api/returns/{id}/accept-compensation"] = (typeof(ReturnsEndpointsTests),
            nameof(ReturnsEndpointsTests.Accepting_the_marketplace_offer_approves_the_partial_compensation_and_refunds_the_offer)),
        ["POST /api/returns/{id}/refuse-compensation"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.A_line_of_at_most_1800_rubles_gets_an_automatic_offer_and_refusing_it_approves_the_return)),
        ["POST /api/returns/{id}/ship"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Refund_takes_a_delivery_cost_up_to_5000_rubles)),
        ["POST /api/returns/{id}/dispute"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Moderators_pre_moderate_a_seller_and_decide_disputes_others_may_not)),
        ["POST /api/returns/{id}/approve"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.A_customer_creates_a_request_the_seller_sees_it_at_once_and_approving_shows_in_both_lists_at_once)),
        ["POST /api/returns/{id}/reject"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Moderators_pre_moderate_a_seller_and_decide_disputes_others_may_not)),
        ["POST /api/returns/{id}/offer-compensation"] = (typeof(ReturnsLiveTests),
            nameof(ReturnsLiveTests.The_customer_and_the_seller_receive_every_status_change_of_their_request_in_order_and_nobody_else_does)),
        ["POST /api/returns/{id}/messages"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.The_chat_moves_a_new_request_to_clarification_with_three_days_from_creation)),
        ["POST /api/returns/{id}/received"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Refund_takes_a_delivery_cost_up_to_5000_rubles)),
        ["POST /api/returns/{id}/refund"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Refund_takes_a_delivery_cost_up_to_5000_rubles)),
        ["POST /api/returns/{id}/reject-refund"] = (typeof(ReturnsEndpointsTests),
            nameof(ReturnsEndpointsTests.Rejecting_the_refund_after_receipt_records_the_reason_and_refunds_nothing)),
        ["POST /api/returns/{id}/dispute-reply"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.A_seller_answers_a_dispute_and_the_deadline_then_no_longer_decides_it_for_the_customer)),
        ["POST /api/returns/{id}/dispute-decision"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.Moderators_pre_moderate_a_seller_and_decide_disputes_others_may_not)),
        ["GET /api/seller/returns"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.The_seller_report_filters_by_status_and_dates_pages_newest_first_and_exports_csv)),
        ["GET /api/seller/returns/report.csv"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.The_seller_report_filters_by_status_and_dates_pages_newest_first_and_exports_csv)),
        ["GET /api/customer/returns"] = (typeof(ReturnsApiTests),
            nameof(ReturnsApiTests.A_customer_creates_a_request_the_seller_sees_it_at_once_and_approving_shows_in_both_lists_at_once)),
        ["GET /api/customer/orders"] = (typeof(ReturnsApiTests), nameof(ReturnsApiTests.Orders_come_in_only_with_the_internal_key_and_a_replay_changes_nothing)),

        // Star Products
        ["GET /api/seller/star-products"] = (typeof(StarProductsTrialTests), nameof(StarProductsTrialTests.Joining_and_leaving_on_the_same_Moscow_day_uses_one_trial_day)),
        ["POST /api/seller/star-products/connect"] = (typeof(StarProductsTrialTests),
            nameof(StarProductsTrialTests.Joining_and_leaving_on_the_same_Moscow_day_uses_one_trial_day)),
        ["POST /api/seller/star-products/disconnect"] = (typeof(StarProductsTrialTests),
            nameof(StarProductsTrialTests.Joining_and_leaving_on_the_same_Moscow_day_uses_one_trial_day)),
        ["GET /api/seller/star-products/history"] = (typeof(StarProductsMembershipTests),
            nameof(StarProductsMembershipTests.History_names_who_changed_what_is_viewable_only_while_connected_and_keeps_twelve_months)),
        ["GET /api/seller/star-products/analytics"] = (typeof(StarProductsAnalyticsTests),
            nameof(StarProductsAnalyticsTests.Analytics_open_fourteen_days_after_activation_and_each_window_counts_its_own_days)),
        ["GET /api/seller/star-products/certificates"] = (typeof(StarProductsFeesTests),
            nameof(StarProductsFeesTests.Fees_after_the_trial_are_summed_per_Moscow_reporting_period_and_each_certificate_is_issued_when_its_period_ends)),
        ["POST /api/internal/products"] = (typeof(StarProductsMembershipTests),
            nameof(StarProductsMembershipTests.Joining_needs_a_moderated_product_and_the_count_follows_moderation_both_ways)),
        ["POST /api/internal/star-products/orders"] = (typeof(StarProductsTrialTests),
            nameof(StarProductsTrialTests.Days_left_on_leaving_are_used_on_rejoining_and_fees_start_exactly_when_they_are_used)),
        ["POST /api/internal/star-products/views"] = (typeof(StarProductsAnalyticsTests),
            nameof(StarProductsAnalyticsTests.Analytics_open_fourteen_days_after_activation_and_each_window_counts_its_own_days)),
        ["POST /api/internal/star-products/connect"] = (typeof(StarProductsMembershipTests),
            nameof(StarProductsMembershipTests.History_names_who_changed_what_is_viewable_only_while_connected_and_keeps_twelve_months)),

        // Referral rewards
        ["GET /api/referral/me"] = (typeof(ReferralApiTests), nameof(ReferralApiTests.Spend_of_2499_99_annuls_the_month_and_2500_00_credits_it_on_the_reward_date)),
        ["GET /api/referral/me/ledger"] = (typeof(ReferralApiTests), nameof(ReferralApiTests.Spend_of_2499_99_annuls_the_month_and_2500_00_credits_it_on_the_reward_date)),
        ["GET /api/referral/me/settlements"] = (typeof(ReferralApiTests),
            nameof(ReferralApiTests.Spend_of_2499_99_annuls_the_month_and_2500_00_credits_it_on_the_reward_date)),
        ["POST /api/referral/me/withdraw"] = (typeof(ReferralApiTests),
            nameof(ReferralApiTests.A_withdrawal_above_the_balance_is_a_409_and_every_movement_keeps_the_ledger_summing_to_the_balance)),
        ["POST /api/internal/referral/orders"] = (typeof(ReferralApiTests),
            nameof(ReferralApiTests.Spend_of_2499_99_annuls_the_month_and_2500_00_credits_it_on_the_reward_date)),
        ["POST /api/internal/referral/earnings"] = (typeof(ReferralApiTests),
            nameof(ReferralApiTests.Spend_of_2499_99_annuls_the_month_and_2500_00_credits_it_on_the_reward_date)),
        ["POST /api/internal/referral/spend"] = (typeof(ReferralApiTests),
            nameof(ReferralApiTests.A_withdrawal_above_the_balance_is_a_409_and_every_movement_keeps_the_ledger_summing_to_the_balance)),
        ["POST /api/internal/referral/corrections"] = (typeof(ReferralApiTests),
            nameof(ReferralApiTests.A_withdrawal_above_the_balance_is_a_409_and_every_movement_keeps_the_ledger_summing_to_the_balance)),
    };

    [Fact]
    public async Task Every_route_of_the_OpenAPI_document_is_called_by_a_named_test()
    {
        using var factory = new GatewayFactory();
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var routes = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(routes);

        var untested = routes.Where(r => !Covered.ContainsKey(r)).Order(StringComparer.Ordinal).ToList();
        Assert.True(untested.Count == 0, $"No test is named for these routes (add one, and its entry here):\n{string.Join('\n', untested)}");
        var gone = Covered.Keys.Where(r => !routes.Contains(r)).Order(StringComparer.Ordinal).ToList();
        Assert.True(gone.Count == 0, $"These entries name routes the OpenAPI document no longer has:\n{string.Join('\n', gone)}");
    }

    [Fact]
    public void Every_test_the_map_names_exists_and_runs()
    {
        var problems = new List<string>();
        foreach (var (route, (type, test)) in Covered)
        {
            var method = type.GetMethod(test, BindingFlags.Public | BindingFlags.Instance);
            var fact = method?.GetCustomAttribute<FactAttribute>(inherit: true);
            if (method is null || fact is null)
            {
                problems.Add($"{route}: {type.Name}.{test} is not a [Fact] or [Theory] of {type.FullName}");
            }
            else if (fact.Skip is not null)
            {
                problems.Add($"{route}: {type.Name}.{test} is skipped ({fact.Skip})");
            }
            else if (type.IsAbstract || !type.IsPublic || type.Assembly != typeof(RouteCoverageTests).Assembly)
            {
                problems.Add($"{route}: {type.FullName} is not a test class of this assembly");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
