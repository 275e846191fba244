using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>An Ozon ID: the accounts it can enter, the devices trusted for them, and phone changes.</summary>
[GrainType("ozon-id")]
public sealed class OzonIdGrain([DurableState("ozon-id")] IDurableState<OzonIdState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<OzonIdOptions> options, ICodeSender sender, ILogger<OzonIdGrain> logger)
    : DurableGrain<OzonIdState>(state, time), IOzonIdGrain
{
    private const string PhoneMoveReminder = "phone-move";

    private readonly OzonIdOptions _options = options.Value;

    public async Task InitializeAsync(string phone)
    {
        if (State.Phone.Length == 0)
        {
            State.Phone = phone;
            await WriteStateAsync();
        }
    }

    public Task<OzonIdProfile> GetAsync()
    {
        RequireInitialized();
        var isModerator = _options.Moderators.Select(Phones.Normalize).Contains(State.Phone);
        return Task.FromResult(new OzonIdProfile(GetPrimaryKey(), Phones.Mask(State.Phone), isModerator, State.Accounts.ToList()));
    }

    public async Task LinkAccountAsync(LinkedAccount account)
    {
        RequireInitialized();
        if (State.Accounts.Any(a => a.CompanyId == account.CompanyId && a.AccountId != account.AccountId))
        {
            throw OzonIdProfile.SecondAccountInCompany();
        }

        State.Accounts.RemoveAll(a => a.AccountId == account.AccountId);
        State.Accounts.Add(account);
        await WriteStateAsync();
    }

    public async Task UnlinkAccountAsync(Guid accountId)
    {
        State.Accounts.RemoveAll(a => a.AccountId == accountId);
        State.TrustedDevices.RemoveAll(d => d.AccountId == accountId);
        await WriteStateAsync();
    }

    public async Task TrustDeviceAsync(string deviceKey, Guid accountId)
    {
        RequireInitialized();
        State.TrustedDevices.RemoveAll(d => d.DeviceKey == deviceKey && d.AccountId == accountId);
        State.TrustedDevices.Add(new TrustedDevice(deviceKey, accountId, TimeProvider.GetUtcNow() + _options.TrustedDeviceLifetime));
        await WriteStateAsync();
    }

    public Task<IReadOnlyList<Guid>> GetTrustedAccountsAsync(string deviceKey)
    {
        var now = TimeProvider.GetUtcNow();
        return Task.FromResult<IReadOnlyList<Guid>>(
            State.TrustedDevices.Where(d => d.DeviceKey == deviceKey && d.ExpiresAt > now).Select(d => d.AccountId).ToList());
    }

    public async Task<bool> UseTrustedDeviceAsync(string deviceKey, Guid accountId)
    {
        var now = TimeProvider.GetUtcNow();
        var trusted = State.TrustedDevices.Any(d => d.DeviceKey == deviceKey && d.AccountId == accountId && d.ExpiresAt > now);
        if (trusted)
        {
            await TrustDeviceAsync(deviceKey, accountId);
        }

        return trusted;
    }

    public async Task<ChallengeIssued> BeginPhoneChangeAsync(CodeChannel channel, string clientAddress)
    {
        RequireInitialized();
        await ReceiveReminderAsync(PhoneMoveReminder, TimeProvider.GetUtcNow()); // finish a confirmed move first
        var challengeId = Guid.NewGuid();
        var issued = await GrainFactory.GetGrain<ILoginChallengeGrain>(challengeId).StartAsync(
            new CodeRequest(State.Phone, channel, clientAddress, ChallengePurpose.PhoneChangeCurrent, GetPrimaryKey()));
        State.PendingPhoneChange = new PhoneChange(challengeId, CurrentConfirmed: false, NewPhone: null, NewChallengeId: null);
        await WriteStateAsync();
        return issued;
    }

    public async Task ConfirmCurrentPhoneAsync(string code)
    {
        var change = State.PendingPhoneChange
            ?? throw DomainException.Conflict("no-phone-change", "No phone change was started.");
        await GrainFactory.GetGrain<ILoginChallengeGrain>(change.CurrentChallengeId).VerifyAsync(code);
        State.PendingPhoneChange = change with { CurrentConfirmed = true };
        await WriteStateAsync();
    }

    public async Task<ChallengeIssued> ProposeNewPhoneAsync(string phone, CodeChannel channel, string clientAddress)
    {
        var change = State.PendingPhoneChange;
        if (change is not { CurrentConfirmed: true })
        {
            throw DomainException.Conflict("current-phone-not-confirmed", "Confirm the current phone first.");
        }

        if (phone == State.Phone)
        {
            throw DomainException.Invalid("same-phone", "The new phone is the current one.");
        }

        var challengeId = Guid.NewGuid();
        var issued = await GrainFactory.GetGrain<ILoginChallengeGrain>(challengeId).StartAsync(
            new CodeRequest(phone, channel, clientAddress, ChallengePurpose.PhoneChangeNew, GetPrimaryKey()));
        State.PendingPhoneChange = change with { NewPhone = phone, NewChallengeId = challengeId };
        await WriteStateAsync();
        return issued;
    }

    public async Task ConfirmNewPhoneAsync(string code)
    {
        var change = State.PendingPhoneChange;
        if (change is not { CurrentConfirmed: true, NewPhone: { } newPhone, NewChallengeId: { } challengeId })
        {
            throw DomainException.Conflict("new-phone-not-proposed", "Confirm the current phone and send a code to the new one first.");
        }

        if (!change.NewConfirmed)
        {
            await GrainFactory.GetGrain<ILoginChallengeGrain>(challengeId).VerifyAsync(code);

            // The code is spent: record that before touching the phone indexes, with a reminder that finishes the
            // move if this call dies half-way (the new phone claimed, the old one not yet released).
            State.PendingPhoneChange = change with { NewConfirmed = true };
            SetReminder(PhoneMoveReminder, TimeProvider.GetUtcNow() + _options.ReservationRepairAfter);
            await WriteStateAsync();
        }

        await MovePhoneAsync(newPhone);
    }

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        if (name == PhoneMoveReminder && State.PendingPhoneChange is { NewConfirmed: true, NewPhone: { } newPhone })
        {
            try
            {
                await MovePhoneAsync(newPhone);
            }
            catch (DomainException)
            {
                // The new phone was taken by another Ozon ID meanwhile: MovePhoneAsync gave the change up.
            }
        }
    }

    /// <summary>Claims the new phone, frees the old one, then switches; each step is idempotent.</summary>
    private async Task MovePhoneAsync(string newPhone)
    {
        try
        {
            await GrainFactory.GetGrain<IPhoneGrain>(newPhone).AssignAsync(GetPrimaryKey());
        }
        catch (DomainException)
        {
            State.PendingPhoneChange = null;
            ClearReminder(PhoneMoveReminder);
            await WriteStateAsync();
            throw;
        }

        await GrainFactory.GetGrain<IPhoneGrain>(State.Phone).ReleaseAsync(GetPrimaryKey());
        var oldPhone = State.Phone;
        State.Phone = newPhone;
        State.PendingPhoneChange = null;
        ClearReminder(PhoneMoveReminder);
        Emit($"ozon-id:{GetPrimaryKey()}", LiveEventTypes.PhoneChanged, new { maskedPhone = Phones.Mask(newPhone) }, LiveAudiences.Customer(GetPrimaryKey()));
        await WriteStateAsync();
        try
        {
            await sender.SendAsync(oldPhone, CodeChannel.Sms,
                $"The phone of your Ozon ID was changed to {Phones.Mask(newPhone)}. If it was not you, contact support.", CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The change is committed: a failing SMS provider must not turn it into an error the person would retry.
            // The PhoneChanged event above is the durable record of it.
            logger.LogWarning(exception, "The notice of a phone change to the old phone of {OzonId} could not be sent.", GetPrimaryKey());
        }
    }

    private void RequireInitialized()
    {
        if (State.Phone.Length == 0)
        {
            throw DomainException.NotFound("ozon-id-not-found", "No such Ozon ID.");
        }
    }
}
