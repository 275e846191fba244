-- The seller's list of return requests waiting for it (index "seller-returns-to-act", ReturnIndexes.SellerReturnsToAct):
-- from now on each request writes its row there, or removes it, in the same write as its state. Requests written
-- before get theirs here, from their row in the seller's full list, which carries the same summary (its nextActor).
INSERT INTO grain_index (index_name, partition_key, grain_type, grain_key, tag, sort_at, data)
SELECT 'seller-returns-to-act', partition_key, grain_type, grain_key, tag, sort_at, data
FROM grain_index
WHERE index_name = 'seller-returns' AND data->>'nextActor' = 'Seller'
ON CONFLICT (index_name, partition_key, grain_type, grain_key) DO NOTHING;
