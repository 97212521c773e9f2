"""Band keys are stored and compared across processes and versions: the MinHash must stay
datasketch's "affine32" MinHash bit for bit (extractors/minhash.py says why it is written out)."""

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import minhash

WORDS = st.lists(st.sampled_from(["قاعدة", "عين", "الأسد", "هجوم", "drone", "base", "3", "٣", "ال", "x" * 40]),
                 max_size=60)


@settings(max_examples=200, deadline=None)
@given(WORDS)
def test_minhash_equals_datasketch_affine32(words):
    grams = minhash.shingles(words)
    reference = MinHash(num_perm=minhash.NUM_PERM, seed=1, scheme="affine32")
    reference.update_batch(list(grams))
    expected = tuple(int(v) for v in reference.hashvalues) if grams else ()
    assert minhash.minhash(words) == expected


def test_copies_share_band_keys_and_unrelated_texts_do_not():
    text = ("أعلن مسؤول أن هجوما بطائرة مسيرة استهدف قاعدة عين الأسد الجوية غرب العراق "
            "من دون أن يسفر عن إصابات بحسب بيان صدر مساء اليوم").split()
    copy = text[:-2] + ["مساء", "الاثنين"]
    other = "وافق البرلمان على الموازنة الاتحادية بعد جلسة طويلة شهدت خلافات بين الكتل".split()
    keys = set(minhash.band_keys(minhash.minhash(text)))
    assert keys & set(minhash.band_keys(minhash.minhash(copy)))
    assert not keys & set(minhash.band_keys(minhash.minhash(other)))
    assert minhash.jaccard(minhash.minhash(text), minhash.minhash(copy)) > 0.6
