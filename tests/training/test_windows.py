import numpy as np

from training.windows import epoch_batches, solo_windows


def test_windows_shift_targets_by_one_and_pad_with_zero_weight():
    windows = solo_windows(list(range(1, 8)), tx=4)
    (x0, y0, w0, f0), (x1, y1, w1, f1) = windows
    assert list(x0) == [1, 2, 3, 4] and list(y0) == [2, 3, 4, 5] and list(w0) == [1] * 4
    assert list(x1[:2]) == [5, 6] and list(y1[:2]) == [6, 7] and list(w1) == [1, 1, 0, 0]
    assert f0.shape == (4, 0)


def test_each_window_carries_the_features_of_its_targets():
    features = np.arange(7, dtype=np.float32)[:, None] * [1.0, -1.0]  # row k: value k's
    (x0, y0, _, f0), (_, y1, w1, f1) = solo_windows(list(range(7)), tx=4, features=features)
    np.testing.assert_array_equal(f0[:, 0], y0)  # the features of each target, not input
    np.testing.assert_array_equal(f1[:2, 0], y1[:2])
    assert not f1[2:].any() and list(w1) == [1, 1, 0, 0]
    batches = epoch_batches([list(range(7))], tx=4, batch_size=1, rng=None,
                            features=[features])
    assert batches[0].features.shape == (1, 4, 2)
    np.testing.assert_array_equal(batches[0].features[0, :, 1], -batches[0].y[0])


def test_every_target_is_trained_once_and_states_reset_at_solo_starts():
    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(0, 9, size=n)) for n in (5, 40, 17, 90, 33)]
    batches = epoch_batches(seqs, tx=8, batch_size=2, rng=rng)
    assert sum(b.weight.sum() for b in batches) == sum(len(s) - 1 for s in seqs)
    # A row that starts a solo starts it at the solo's first value.
    starts = {tuple(b.x[r][:3]) for b in batches for r in range(2)
              if b.reset[r] and b.weight[r].any()}
    assert {tuple(s[:3]) for s in seqs} <= starts
    # Within a row, the windows between two resets are one solo, in order: the state that
    # carries from window to window belongs to the same solo.
    rebuilt = []
    for row in range(2):
        for batch in batches:
            if not batch.weight[row].any():
                continue
            if batch.reset[row]:
                rebuilt.append([])
            rebuilt[-1] += list(batch.x[row][batch.weight[row] > 0])
    assert sorted(map(tuple, rebuilt)) == sorted(tuple(s[:-1]) for s in seqs)
