using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.OzonId;

public sealed class CompanyTests : IDisposable
{
    private readonly GatewayFactory _factory = new();
    private readonly ApiClient _api;

    public CompanyTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_seller_account_on_an_untrusted_device_needs_email_and_password_once_then_Ozon_ID_is_enough()
    {
        var seller = await _api.NewSellerAsync(deviceId: "laptop-0123456789abcdef");
        var onPhone = await _api.LoginAsync(seller.Phone, "new-phone-0123456789abcdef");
        Assert.False(onPhone.Accounts.Single()!["trusted"]!.GetValue<bool>());

        var refused = await _api.SendAsync(HttpMethod.Post, "/api/auth/switch", onPhone.AccessToken,
            new { companyId = seller.CompanyId }, HttpStatusCode.Forbidden);
        Assert.Equal("https://ozon-actors/errors/password-required", refused["type"]!.GetValue<string>());

        await _api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = seller.Email, password = seller.Password, deviceId = "new-phone-0123456789abcdef" }, HttpStatusCode.OK);

        var again = await _api.LoginAsync(seller.Phone, "new-phone-0123456789abcdef");
        Assert.True(again.Accounts.Single()!["trusted"]!.GetValue<bool>());
        var switched = await _api.SwitchAsync(again.AccessToken, seller.CompanyId);
        await _api.SendAsync(HttpMethod.Get, $"/api/companies/{seller.CompanyId}", switched.AccessToken, null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_names_its_device_only_by_key_so_a_stolen_token_cannot_pose_as_the_trusted_device()
    {
        var seller = await _api.NewSellerAsync(deviceId: "trusted-laptop-0123456789");
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(PadBase64(seller.Tokens.AccessToken.Split('.')[1])));
        var deviceClaim = JsonNode.Parse(json)!["device"]!.GetValue<string>();
        Assert.DoesNotContain("trusted-laptop", deviceClaim);

        // Logging in by phone with the claim's value as the device id does not make that device trusted.
        var impostor = await _api.LoginAsync(seller.Phone, deviceClaim);
        await _api.SendAsync(HttpMethod.Post, "/api/auth/switch", impostor.AccessToken, new { companyId = seller.CompanyId }, HttpStatusCode.Forbidden);
        var owner = await _api.LoginAsync(seller.Phone, "trusted-laptop-0123456789");
        await _api.SwitchAsync(owner.AccessToken, seller.CompanyId);
    }

    [Fact]
    public async Task A_device_id_too_short_to_be_a_secret_is_refused()
    {
        var seller = await _api.NewSellerAsync();

        await _api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = seller.Email, password = seller.Password, deviceId = "laptop" }, HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// Issue 12, point 6: the 11th wrong password answered 429 for a registered email and 401 for an unknown one, and
    /// the lockout locked the real owner out for an hour. Now attempts count per email from one address, alike for
    /// both, and the owner elsewhere is not affected.
    /// </summary>
    [Fact]
    public async Task Password_guessing_from_one_address_stops_after_ten_tries_alike_for_known_and_unknown_emails_and_never_locks_the_owner_out()
    {
        var seller = await _api.NewSellerAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        var answers = new List<JsonNode>();
        foreach (var email in new[] { seller.Email, unknown })
        {
            for (var i = 0; i < 10; i++)
            {
                await PasswordFromAsync("10.0.0.66", email, $"guess number {i}", HttpStatusCode.Unauthorized);
            }

            answers.Add(await PasswordFromAsync("10.0.0.66", email, seller.Password, HttpStatusCode.TooManyRequests));
        }

        Assert.Equal(answers[0]["type"]!.GetValue<string>(), answers[1]["type"]!.GetValue<string>());
        Assert.Equal(answers[0]["detail"]!.GetValue<string>(), answers[1]["detail"]!.GetValue<string>());

        // The owner, from their own address, logs in at once.
        await PasswordFromAsync("10.0.0.7", seller.Email, seller.Password, HttpStatusCode.OK);

        _factory.Time.Advance(TimeSpan.FromHours(1));
        await PasswordFromAsync("10.0.0.66", seller.Email, seller.Password, HttpStatusCode.OK);
    }

    [Fact]
    public async Task One_address_guessing_across_many_emails_is_stopped_and_right_passwords_do_not_count()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["OzonId:MaxPasswordFailuresPerSourcePerHour"] = "5" });
        var api = factory.CreateApi();
        var seller = await api.NewSellerAsync();
        for (var i = 0; i < 3; i++)
        {
            await PasswordFromAsync("10.0.0.8", seller.Email, seller.Password, HttpStatusCode.OK, api);
        }

        for (var i = 0; i < 5; i++)
        {
            await PasswordFromAsync("10.0.0.8", $"guess-{i}-{Guid.NewGuid():N}@example.com", "guess", HttpStatusCode.Unauthorized, api);
        }

        await PasswordFromAsync("10.0.0.8", seller.Email, seller.Password, HttpStatusCode.TooManyRequests, api);
        await PasswordFromAsync("10.0.0.9", seller.Email, seller.Password, HttpStatusCode.OK, api);
    }

    private async Task<JsonNode> PasswordFromAsync(string address, string email, string password, HttpStatusCode expected, ApiClient? api = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/password")
        {
            Content = JsonContent.Create(new { email, password, deviceId = "device-0123456789abcdef" }),
        };
        request.Headers.Add(GatewayFactory.TestClientAddress.Header, address);
        using var response = await (api ?? _api).Http.SendAsync(request);
        return await ApiClient.ReadAsync(response, expected);
    }

    /// <summary>Found by the fuzz suite: a company name with line breaks and tabs was accepted (and shown on one-line pages).</summary>
    [Fact]
    public async Task A_company_name_with_line_breaks_or_tabs_is_refused_naming_the_field()
    {
        var person = await _api.LoginAsync(ApiClient.NewPhone());
        var refused = await _api.SendAsync(HttpMethod.Post, "/api/companies", person.AccessToken,
            new { name = "Shop\r\nInjected\tline", directorEmail = $"d-{Guid.NewGuid():N}@example.com", password = "correct horse battery" },
            HttpStatusCode.BadRequest);
        Assert.NotNull(refused["errors"]!["name"]);
    }

    /// <summary>Found by an outside test: U+2028 and U+2029 break a line as surely as CR LF, but are not control characters.</summary>
    [Theory]
    [InlineData("Shop\u2028Injected line")]
    [InlineData("Shop\u2029Injected paragraph")]
    public async Task A_company_name_with_a_unicode_line_or_paragraph_separator_is_refused(string name)
    {
        var person = await _api.LoginAsync(ApiClient.NewPhone());
        var refused = await _api.SendAsync(HttpMethod.Post, "/api/companies", person.AccessToken,
            new { name, directorEmail = $"d-{Guid.NewGuid():N}@example.com", password = "correct horse battery" },
            HttpStatusCode.BadRequest);
        Assert.NotNull(refused["errors"]!["name"]);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_are_the_same_401()
    {
        var seller = await _api.NewSellerAsync();

        var wrong = await _api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = seller.Email, password = "not the password", deviceId = "device-0123456789abcdef" }, HttpStatusCode.Unauthorized);
        var unknown = await _api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = "nobody@example.com", password = "not the password", deviceId = "device-0123456789abcdef" }, HttpStatusCode.Unauthorized);

        Assert.Equal(wrong["type"]!.GetValue<string>(), unknown["type"]!.GetValue<string>());
        Assert.Equal(wrong["detail"]!.GetValue<string>(), unknown["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_employee_cannot_invite_or_delete_a_director_can_and_a_deleted_account_cannot_log_in()
    {
        var director = await _api.NewSellerAsync();
        var employee = await JoinAsync(director, "Employee");

        var invite = await _api.SendAsync(HttpMethod.Post, $"/api/companies/{director.CompanyId}/invitations", employee.Tokens.AccessToken,
            new { email = "someone@example.com", role = "Employee" }, HttpStatusCode.Forbidden);
        Assert.Equal("https://ozon-actors/errors/role-forbidden", invite["type"]!.GetValue<string>());
        await _api.SendAsync(HttpMethod.Delete, $"/api/companies/{director.CompanyId}/accounts/{director.AccountId}",
            employee.Tokens.AccessToken, null, HttpStatusCode.Forbidden);

        await _api.SendAsync(HttpMethod.Delete, $"/api/companies/{director.CompanyId}/accounts/{employee.AccountId}",
            director.Tokens.AccessToken, null, HttpStatusCode.NoContent);

        await _api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = employee.Email, password = employee.Password, deviceId = "employee-device-0123456789abcdef" }, HttpStatusCode.Unauthorized);
        await _api.SendAsync(HttpMethod.Post, "/api/auth/refresh", null,
            new { refreshToken = employee.Tokens.RefreshToken }, HttpStatusCode.Unauthorized);
        var byPhone = await _api.LoginAsync(employee.Phone, "employee-device-0123456789abcdef");
        Assert.Empty(byPhone.Accounts);
        await _api.SendAsync(HttpMethod.Post, "/api/auth/switch", byPhone.AccessToken,
            new { companyId = director.CompanyId }, HttpStatusCode.Forbidden);
        var members = (await _api.SendAsync(HttpMethod.Get, $"/api/companies/{director.CompanyId}", director.Tokens.AccessToken, null,
            HttpStatusCode.OK))["members"]!.AsArray();
        Assert.DoesNotContain(members, m => m!["accountId"]!.GetValue<Guid>() == employee.AccountId);
    }

    [Fact]
    public async Task An_administrator_invites_and_deletes_employees_but_not_directors()
    {
        var director = await _api.NewSellerAsync();
        var administrator = await JoinAsync(director, "Administrator");
        var employee = await JoinAsync(administrator, "Employee", director.CompanyId);

        await _api.SendAsync(HttpMethod.Delete, $"/api/companies/{director.CompanyId}/accounts/{director.AccountId}",
            administrator.Tokens.AccessToken, null, HttpStatusCode.Forbidden);
        await _api.SendAsync(HttpMethod.Delete, $"/api/companies/{director.CompanyId}/accounts/{employee.AccountId}",
            administrator.Tokens.AccessToken, null, HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Tokens_of_company_A_get_403_on_company_B()
    {
        var a = await _api.NewSellerAsync();
        var b = await _api.NewSellerAsync();

        await _api.SendAsync(HttpMethod.Get, $"/api/companies/{b.CompanyId}", a.Tokens.AccessToken, null, HttpStatusCode.Forbidden);
        await _api.SendAsync(HttpMethod.Post, $"/api/companies/{b.CompanyId}/invitations", a.Tokens.AccessToken,
            new { email = "x@example.com", role = "Employee" }, HttpStatusCode.Forbidden);
        await _api.SendAsync(HttpMethod.Delete, $"/api/companies/{b.CompanyId}/accounts/{b.AccountId}", a.Tokens.AccessToken, null,
            HttpStatusCode.Forbidden);
        await _api.SendAsync(HttpMethod.Post, "/api/auth/switch", a.Tokens.AccessToken, new { companyId = b.CompanyId }, HttpStatusCode.Forbidden);

        var stillThere = await _api.SendAsync(HttpMethod.Get, $"/api/companies/{b.CompanyId}", b.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Single(stillThere["members"]!.AsArray());
    }

    [Fact]
    public async Task One_Ozon_ID_holds_several_companies_and_switches_without_a_password()
    {
        var first = await _api.NewSellerAsync(deviceId: "desk-0123456789abcdef");
        var customerSide = await _api.LoginAsync(first.Phone, "desk-0123456789abcdef");
        var second = await _api.SendAsync(HttpMethod.Post, "/api/companies", customerSide.AccessToken,
            new { name = "Second shop", directorEmail = $"second-{Guid.NewGuid():N}@example.com", password = "another password" },
            HttpStatusCode.Created);

        var tokens = await _api.LoginAsync(first.Phone, "desk-0123456789abcdef");
        Assert.Equal(2, tokens.Accounts.Count);
        var inSecond = await _api.SwitchAsync(tokens.AccessToken, second["companyId"]!.GetValue<Guid>());
        var backInFirst = await _api.SwitchAsync(inSecond.AccessToken, first.CompanyId);
        await _api.SendAsync(HttpMethod.Get, $"/api/companies/{first.CompanyId}", backInFirst.AccessToken, null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_existing_company_is_added_by_its_email_and_password_and_cannot_be_taken_by_another_Ozon_ID()
    {
        var seller = await _api.NewSellerAsync(deviceId: "office-0123456789abcdef");
        var ownOnNewDevice = await _api.LoginAsync(seller.Phone, "tablet-0123456789abcdef");
        var linked = await _api.SendAsync(HttpMethod.Post, "/api/me/companies/link", ownOnNewDevice.AccessToken,
            new { email = seller.Email, password = seller.Password }, HttpStatusCode.OK);
        Assert.Equal(seller.CompanyId, linked["companyId"]!.GetValue<Guid>());
        await _api.SwitchAsync(ownOnNewDevice.AccessToken, seller.CompanyId);

        var stranger = await _api.LoginAsync(ApiClient.NewPhone());
        await _api.SendAsync(HttpMethod.Post, "/api/me/companies/link", stranger.AccessToken,
            new { email = seller.Email, password = seller.Password }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_email_has_at_most_one_seller_account()
    {
        var seller = await _api.NewSellerAsync();
        var other = await _api.LoginAsync(ApiClient.NewPhone());

        var taken = await _api.SendAsync(HttpMethod.Post, "/api/companies", other.AccessToken,
            new { name = "Copycat", directorEmail = seller.Email.ToUpperInvariant(), password = "some password" }, HttpStatusCode.Conflict);

        Assert.Equal("https://ozon-actors/errors/email-taken", taken["type"]!.GetValue<string>());
    }

    private static string PadBase64(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }

    [Fact]
    public async Task One_person_cannot_hold_two_accounts_in_one_company_and_a_refused_acceptance_claims_nothing()
    {
        // The director invites another email and tries to accept it with their own Ozon ID.
        var director = await _api.NewSellerAsync();
        var email = $"second-{Guid.NewGuid():N}@example.com";
        var invitation = await _api.SendAsync(HttpMethod.Post, $"/api/companies/{director.CompanyId}/invitations", director.Tokens.AccessToken,
            new { email, role = "Employee" }, HttpStatusCode.Created);
        var token = invitation["token"]!.GetValue<string>();
        var own = await _api.LoginAsync(director.Phone);
        var refused = await _api.SendAsync(HttpMethod.Post, $"/api/invitations/{token}/accept", own.AccessToken,
            new { password = "second password" }, HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/one-account-per-company", refused["type"]!.GetValue<string>());

        // Nothing was taken: the email has no account, the company one member, and someone else can still accept.
        await _api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email, password = "second password", deviceId = "any-device-0123456789abcdef" }, HttpStatusCode.Unauthorized);
        var company = await _api.SendAsync(HttpMethod.Get, $"/api/companies/{director.CompanyId}", director.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Single(company["members"]!.AsArray());
        var other = await _api.LoginAsync(ApiClient.NewPhone());
        await _api.SendAsync(HttpMethod.Post, $"/api/invitations/{token}/accept", other.AccessToken, new { password = "other password" }, HttpStatusCode.OK);

        // Linking by email and password is held to the same rule.
        var linked = await _api.SendAsync(HttpMethod.Post, "/api/me/companies/link", own.AccessToken,
            new { email, password = "other password" }, HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/one-account-per-company", linked["type"]!.GetValue<string>());
    }

    /// <summary>Invites a new person with <paramref name="role"/>; they accept with their own Ozon ID and enter the company.</summary>
    private async Task<Seller> JoinAsync(Seller inviter, string role, Guid? companyId = null)
    {
        var company = companyId ?? inviter.CompanyId;
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var invitation = await _api.SendAsync(HttpMethod.Post, $"/api/companies/{company}/invitations", inviter.Tokens.AccessToken,
            new { email, role }, HttpStatusCode.Created);
        var phone = ApiClient.NewPhone();
        var invitee = await _api.LoginAsync(phone, $"{role}-device-0123456789abcdef");
        const string password = "invitee password";
        var account = await _api.SendAsync(HttpMethod.Post, $"/api/invitations/{invitation["token"]!.GetValue<string>()}/accept",
            invitee.AccessToken, new { password }, HttpStatusCode.OK);
        var tokens = await _api.SwitchAsync(invitee.AccessToken, company);
        return new Seller(tokens, company, account["accountId"]!.GetValue<Guid>(), phone, email, password);
    }
}
