import numpy as np

from training.ngram import NGramCounts, ngram_cross_entropies


def test_distributions_sum_to_one_and_prefer_seen_pairs():
    counts = NGramCounts.fit([[0, 1, 2, 1, 2, 1, 2], [0, 1, 2]], n_values=4)
    uni, bi = counts.unigram_probs(), counts.bigram_probs()
    assert np.isclose(uni.sum(), 1.0)
    assert np.allclose(bi.sum(axis=1), 1.0)
    assert bi[1, 2] > 0.7 and bi[1, 3] > 0  # seen pair dominates; unseen keeps some mass
    assert np.allclose(bi[3], uni)  # an unseen history backs off to the unigram


def test_bigram_beats_unigram_on_a_predictable_sequence(tmp_path):
    seq = [0, 1, 2, 3] * 50
    counts = NGramCounts.fit([seq], n_values=4)
    counts.save(tmp_path)
    uni, bi = ngram_cross_entropies(NGramCounts.load(tmp_path), [seq])
    assert bi < uni / 2
