using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// Keeps seller emails unique: keyed by the lower-cased email, it holds at most one account. A sign-up or an
/// invitation's acceptance spans several grains, so it reserves the email first and confirms it last; a reservation
/// left behind by a crash or a failed step is repaired by a reminder (<see cref="OzonIdOptions.ReservationRepairAfter"/>).
/// </summary>
[GrainType("email-index")]
public sealed class EmailIndexGrain(
    [DurableState("email-index")] IDurableState<UniqueOwnerState> state,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider time,
    IOptions<OzonIdOptions> options)
    : UniqueOwnerGrain(state, time), IEmailIndexGrain
{
    private const string RepairReminder = "repair-reservation";

    public async Task<EmailReservation> ReserveAsync(EmailReservation proposed, Guid ozonId)
    {
        if (State.Owner is { } owner)
        {
            return State.Pending is { } pending && pending.OzonId == ozonId
                ? new EmailReservation(owner, pending.CompanyId)
                : throw Taken();
        }

        State.Owner = proposed.AccountId;
        State.Pending = new PendingClaim(proposed.CompanyId, ozonId);
        SetReminder(RepairReminder, TimeProvider.GetUtcNow() + options.Value.ReservationRepairAfter);
        await WriteStateAsync();
        return proposed;
    }

    public async Task ConfirmAsync(Guid accountId)
    {
        if (State.Owner != accountId)
        {
            // Released by the repair (the attempt took longer than the repair allows): the attempt failed.
            throw DomainException.Conflict("sign-up-expired", "The sign-up took too long and was undone; please try again.");
        }

        if (State.Pending is not null)
        {
            State.Pending = null;
            ClearReminder(RepairReminder);
            await WriteStateAsync();
        }
    }

    public async Task<SellerAccountInfo> VerifyPasswordAsync(string password, string clientAddress)
    {
        // Counted before the check, for known and unknown emails alike; a right password is forgiven.
        var fromSource = GrainFactory.GetGrain<IPasswordAttemptsGrain>($"source:{clientAddress}");
        var forEmail = GrainFactory.GetGrain<IPasswordAttemptsGrain>($"email:{GetPrimaryKeyString()}|{clientAddress}");
        await fromSource.BeginAsync(options.Value.MaxPasswordFailuresPerSourcePerHour);
        await forEmail.BeginAsync(options.Value.MaxPasswordFailuresPerHour);

        // A reserved email has no account yet that may log in: its company may never come to exist.
        if (State.Owner is not { } accountId || State.Pending is not null)
        {
            SellerAccountGrain.CheckDecoy(password);
            throw DomainException.Unauthorized("invalid-credentials", "Wrong email or password.");
        }

        var account = await GrainFactory.GetGrain<ISellerAccountGrain>(accountId).VerifyPasswordAsync(password);
        await Task.WhenAll(fromSource.ForgiveAsync(), forEmail.ForgiveAsync());
        return account;
    }

    /// <summary>
    /// The attempt that reserved the email never confirmed it. If its account joined its company, only the last steps
    /// were lost: link the account to its Ozon ID and confirm. Otherwise the attempt failed before the company knew
    /// the account: delete the account and free the email. A failing call leaves the reminder to tick again.
    /// </summary>
    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        if (name != RepairReminder || State is not { Owner: { } accountId, Pending: { } pending })
        {
            return;
        }

        var company = GrainFactory.GetGrain<ICompanyGrain>(pending.CompanyId);
        if (await company.FindMemberAsync(accountId) is { } member)
        {
            try
            {
                var companyName = (await company.GetAsync()).Name;
                await GrainFactory.GetGrain<IOzonIdGrain>(pending.OzonId)
                    .LinkAccountAsync(new LinkedAccount(accountId, pending.CompanyId, companyName, member.Role));
            }
            catch (DomainException)
            {
                // The person has since taken another account of the company; the account stays reachable by its password.
            }
        }
        else
        {
            await GrainFactory.GetGrain<ISellerAccountGrain>(accountId).DeleteAsync();
            State.Owner = null;
        }

        State.Pending = null;
        ClearReminder(RepairReminder);
        await WriteStateAsync();
    }

    private static DomainException Taken() => DomainException.Conflict("email-taken", "This email already has a seller account.");
}
