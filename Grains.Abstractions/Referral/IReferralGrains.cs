namespace OzonActors.Referral;

/// <summary>A referral manager (key: the Ozon ID): monthly spend and points, settlement on the reward date, the ledger.</summary>
public interface IReferralManagerGrain : IGrainWithGuidKey
{
    /// <summary>This month's spend, what is left to qualify, pending points, balance and the next reward date.</summary>
    Task<ReferralSummary> GetAsync();

    /// <summary>Every ledger entry, oldest first.</summary>
    Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync();

    /// <summary>The months settled so far, newest first.</summary>
    Task<IReadOnlyList<ReferralSettlement>> GetSettlementsAsync();

    /// <summary>Applies an order event once; the same event with other content is a 409.</summary>
    Task<ReferralRecorded> RecordOrderAsync(ReferralOrderEvent order);

    /// <summary>Adds earned points once per earning id; 409 after the program's end date or for a changed payload.</summary>
    Task<ReferralRecorded> RecordEarningAsync(ReferralEarning earning);

    /// <summary>Moves points out of the balance (withdrawal or payment), once per key; 409 above the balance.</summary>
    Task<LedgerEntry> DebitAsync(LedgerEntryKind kind, long points, string key);

    /// <summary>Adds a correction entry (positive or negative), once per id; 409 if it would make the balance negative.</summary>
    Task<LedgerEntry> CorrectAsync(string correctionId, long points, string note);
}
