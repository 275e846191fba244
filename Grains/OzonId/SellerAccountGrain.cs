using Microsoft.AspNetCore.Identity;
using OzonActors.OzonId;
using OzonActors.Runtime;

namespace OzonActors.Grains.OzonId;

/// <summary>A seller account: email + password, one company, one role, linked for good to one Ozon ID.</summary>
[GrainType("seller-account")]
public sealed class SellerAccountGrain : Grain<SellerAccountState>, ISellerAccountGrain
{
    private static readonly PasswordHasher<SellerAccountState> Hasher = new();

    public async Task CreateAsync(Guid companyId, string email, string password, CompanyRole role, Guid? ozonId)
    {
        if (State.Created)
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
