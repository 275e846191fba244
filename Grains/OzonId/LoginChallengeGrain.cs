using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// One code request: a 6-digit code valid 5 minutes, single use, at most 5 wrong tries, a new code on resend after
/// a 60 s cooldown; every send counts against the phone's and the client address's hourly quotas.
/// </summary>
[GrainType("login-challenge")]
public sealed class LoginChallengeGrain([DurableState("login-challenge")] IDurableState<LoginChallengeState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, ICodeSender sender, IOptions<OzonIdOptions> options)
    : DurableGrain<LoginChallengeState>(state, time), ILoginChallengeGrain
{
    private readonly OzonIdOptions _options = options.Value;

    /// <summary>Retention: a challenge is kept a day past its code's expiry, then deleted (a later use is a 404).</summary>
    protected override DateTimeOffset? RetainUntil => State.ExpiresAt + TimeSpan.FromDays(1);

    public async Task<ChallengeIssued> StartAsync(CodeRequest request)
    {
        if (State.Started)
        {
            throw DomainException.Conflict("challenge-exists", "This challenge was already started.");
        }

        State.Started = true;
        State.Phone = request.Phone;
        State.Purpose = request.Purpose;
        State.OzonId = request.OzonId;
        State.Channel = request.Channel;
        return await SendNewCodeAsync(request.ClientAddress);
    }

    public async Task<ChallengeIssued> ResendAsync(string clientAddress)
    {
        RequireStarted();
        var now = TimeProvider.GetUtcNow();
        if (State.Used)
        {
            throw DomainException.Conflict("code-used", "This code was already used; start again.");
        }

        if (now < State.ResendAfter)
        {
            throw DomainException.RateLimited("resend-too-soon", "A new code can be requested a minute after the last one.", State.ResendAfter - now);
        }

        return await SendNewCodeAsync(clientAddress);
    }

    public async Task<VerifiedChallenge> VerifyAsync(string code)
    {
        RequireStarted();
        if (State.Used)
        {
            throw DomainException.Unauthorized("code-used", "This code was already used.");
        }

        if (State.WrongAttempts >= _options.MaxWrongAttempts)
        {
            throw DomainException.Unauthorized("code-attempts-exhausted", "Too many wrong codes; ask for a new one.");
        }

        if (TimeProvider.GetUtcNow() >= State.ExpiresAt)
        {
            throw DomainException.Unauthorized("code-expired", "The code has expired; ask for a new one.");
        }

        if (!Secrets.Matches(code, State.Salt, State.CodeHash))
        {
            State.WrongAttempts++;
            await WriteStateAsync();
            throw DomainException.Unauthorized("invalid-code", "The code is wrong.");
        }

        State.Used = true;
        await WriteStateAsync();
        return new VerifiedChallenge(State.Phone, State.Purpose, State.OzonId);
    }

    private async Task<ChallengeIssued> SendNewCodeAsync(string clientAddress)
    {
        // The phone first: a code refused for its cooldown spends nothing of the address's quota.
        try
        {
            await GrainFactory.GetGrain<ISendQuotaGrain>($"phone:{State.Phone}").ConsumeAsync(_options.MaxSendsPerPhonePerHour, _options.PhoneCodeInterval ?? _options.ResendCooldown);
            await GrainFactory.GetGrain<ISendQuotaGrain>($"address:{clientAddress}").ConsumeAsync(_options.MaxSendsPerAddressPerHour, TimeSpan.Zero);
        }
        catch (DomainException refused)
        {
            OzonMetrics.CodeRefusals.Add(1, new KeyValuePair<string, object?>("reason", refused.Code));
            throw;
        }

        var code = Secrets.NewCode();
        var now = TimeProvider.GetUtcNow();
        State.Salt = Secrets.NewSalt();
        State.CodeHash = Secrets.Hash(code, State.Salt);
        State.ExpiresAt = now + _options.CodeLifetime;
        State.ResendAfter = now + _options.ResendCooldown;
        State.WrongAttempts = 0;
        await WriteStateAsync();

        var text = State.Channel == CodeChannel.Call
            ? $"Your Ozon ID code is {string.Join(' ', code.ToCharArray())}. I repeat: {code}."
            : $"Ozon ID code: {code}. Valid for {_options.CodeLifetime.TotalMinutes:0} minutes. Do not tell it to anyone.";
        await sender.SendAsync(State.Phone, State.Channel, text, CancellationToken.None);
        OzonMetrics.CodeSends.Add(1, new KeyValuePair<string, object?>("channel", State.Channel.ToString()));
        return new ChallengeIssued(GetPrimaryKey(), State.ExpiresAt, State.ResendAfter, Phones.Mask(State.Phone));
    }

    private void RequireStarted()
    {
        if (!State.Started)
        {
            throw DomainException.NotFound("challenge-not-found", "No such code request.");
        }
    }
}
