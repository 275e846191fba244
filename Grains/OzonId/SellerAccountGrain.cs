using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Identity;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>A seller account: email + password, one company, one role, linked for good to one Ozon ID.</summary>
[GrainType("seller-account")]
public sealed class SellerAccountGrain([DurableState("seller-account")] IDurableState<SellerAccountState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<SellerAccountState>(state, time), ISellerAccountGrain
{
    private static readonly PasswordHasher<SellerAccountState> Hasher = new();

    /// <summary>A hash no password matches, checked for unknown emails so that they take as long as known ones.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(new SellerAccountState(), Secrets.NewToken());

    /// <summary>Spends the time of one password check, for an email that has no account (<see cref="EmailIndexGrain"/>).</summary>
    internal static void CheckDecoy(string password) => Hasher.VerifyHashedPassword(new SellerAccountState(), DecoyHash, password);

    public async Task CreateAsync(Guid companyId, string email, string password, CompanyRole role, Guid? ozonId)
    {
        if (State.Created && (State.Deleted || State.CompanyId != companyId || State.Email != email || State.OzonId != ozonId || State.Role != role))
        {
            throw DomainException.Conflict("account-exists", "This account already exists.");
        }

        State.Created = true;
        State.CompanyId = companyId;
        State.Email = email;
        State.Role = role;
        State.OzonId = ozonId;
        State.PasswordHash = Hasher.HashPassword(State, password);
        await WriteStateAsync();
    }

    public Task<SellerAccountInfo> GetAsync()
    {
        if (!State.Created)
        {
            throw DomainException.NotFound("account-not-found", "No such seller account.");
        }

        return Task.FromResult(Info());
    }

    /// <summary>
    /// Checks the password. Wrong passwords are not counted here: a per-account lockout would let any guesser lock the
    /// owner out. The gateway throttles per client address and per email from that address instead.
    /// </summary>
    public async Task<SellerAccountInfo> VerifyPasswordAsync(string password)
    {
        var result = State.Created && !State.Deleted
            ? Hasher.VerifyHashedPassword(State, State.PasswordHash, password)
            : PasswordVerificationResult.Failed;
        if (result == PasswordVerificationResult.Failed)
        {
            throw DomainException.Unauthorized("invalid-credentials", "Wrong email or password.");
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            State.PasswordHash = Hasher.HashPassword(State, password);
            await WriteStateAsync();
        }

        return Info();
    }

    public async Task LinkOzonIdAsync(Guid ozonId)
    {
        if (State.OzonId == ozonId)
        {
            return;
        }

        if (State.OzonId is not null)
        {
            throw DomainException.Conflict("account-linked-elsewhere",
                "This account is linked to another Ozon ID; ask a director to invite a new email instead.");
        }

        State.OzonId = ozonId;
        await WriteStateAsync();
    }

    public async Task DeleteAsync()
    {
        if (State.Created && !State.Deleted)
        {
            State.Deleted = true;
            await WriteStateAsync();
        }
    }

    private SellerAccountInfo Info() =>
        new(GetPrimaryKey(), State.CompanyId, State.Email, State.Role, State.OzonId, State.Deleted);
}
