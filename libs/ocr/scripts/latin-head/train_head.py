#!/usr/bin/python3
"""Step 2 of training the Latin head (see README.md here): fits the recognizer's classifier on the
features extract-features.ts wrote, with CTC loss, on CPU, seeded.

    /usr/bin/python3 libs/ocr/scripts/latin-head/train_head.py /tmp/latin-head/int8.feat [more.feat ...] \
        --out libs/ocr/src/prepare/heads/latin

Debian's python3-torch (1.13) and python3-numpy. The head is `x·W + b` (+ `relu(x·A + c)·B` with
--hidden H), W and b starting from the model's own rows for the classes it has (new classes start
at zero weight and a low bias), so ASCII starts where the original model is. Two terms keep it
there: an L2 pull of W and b of the original's classes toward their initial values (--anchor), and
on plain-ASCII lines a distillation term (--distill): the KL divergence from the original
classifier's per-timestep distribution (over the classes it has) to the head's. Writes `<out>.bin`
(float32: W[D×K], b[K], then A[D'×H], c[H], B[H×K] when hidden) and `<out>.json`.

Feature runs written with `--extra` carry E more values per timestep (an earlier tensor of the
recognizer); the hidden branch then reads all D' = D + E of them (standardized while training, the
scaling folded into A and c when written), the linear part only the classifier's D.
"""
import argparse
import hashlib
import json
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_features(path, dim):
    raw = open(path, 'rb').read()
    feats, labels = [], []
    off = 0
    while off < len(raw):
        if off + 8 > len(raw):
            break
        t, n = struct.unpack_from('<ii', raw, off)
        off += 8
        if off + 4 * (n + t * dim) > len(raw):
            break  # a run stopped mid-record: keep the whole ones
        lab = np.frombuffer(raw, dtype='<i4', count=n, offset=off)
        off += 4 * n
        x = np.frombuffer(raw, dtype='<f4', count=t * dim, offset=off).reshape(t, dim)
        off += 4 * t * dim
        feats.append(x)
        labels.append(lab)
    return feats, labels


class Head(torch.nn.Module):
    def __init__(self, w0, b0, hidden, wide=None, mean=None, std=None):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor(w0))
        self.b = torch.nn.Parameter(torch.tensor(b0))
        self.hidden = hidden
        d, k = w0.shape
        self.d = d
        wide = wide or d
        # The hidden branch reads standardized inputs when the features are wider than W's rows.
        self.register_buffer('mean', torch.zeros(wide) if mean is None else torch.tensor(mean))
        self.register_buffer('std', torch.ones(wide) if std is None else torch.tensor(std))
        if hidden:
            g = torch.Generator().manual_seed(7)
            self.a = torch.nn.Parameter(torch.randn(wide, hidden, generator=g) * (1 / wide ** 0.5))
            self.c = torch.nn.Parameter(torch.zeros(hidden))
            self.bb = torch.nn.Parameter(torch.zeros(hidden, k))

    def forward(self, x):
        y = x[..., :self.d] @ self.w + self.b
        if self.hidden:
            y = y + torch.relu(((x - self.mean) / self.std) @ self.a + self.c) @ self.bb
        return y

    def folded(self):
        """A and c acting on the raw features: A' = A / std (per row), c' = c - (mean / std)·A."""
        a = self.a.detach() / self.std[:, None]
        c = self.c.detach() - (self.mean / self.std) @ self.a.detach()
        return a.numpy(), c.numpy()


def batches(order, feats, labels, size):
    for i in range(0, len(order), size):
        idx = order[i:i + size]
        t = max(feats[j].shape[0] for j in idx)
        x = np.zeros((len(idx), t, feats[idx[0]].shape[1]), dtype=np.float32)
        for r, j in enumerate(idx):
            x[r, :feats[j].shape[0]] = feats[j]
        yield (torch.from_numpy(x), torch.tensor([feats[j].shape[0] for j in idx]),
               torch.from_numpy(np.concatenate([labels[j] for j in idx]).astype(np.int64)),
               torch.tensor([len(labels[j]) for j in idx]), idx)


def greedy(logp, length):
    best = logp[:length].argmax(-1).tolist()
    out, prev = [], 0
    for c in best:
        if c != 0 and c != prev:
            out.append(c)
        prev = c
    return out


def is_ascii_line(lab, classes):
    return all(ord(classes[c][0]) < 128 for c in lab)


def teacher_logits(x, w0, b0, new):
    """The original classifier restricted to the classes it has (as the engine prunes it)."""
    return (x[..., :w0.shape[0]] @ w0 + b0).masked_fill(new, float('-inf'))


def evaluate(model, feats, labels, classes, idx):
    """Character errors (edit distance / truth length), recall of non-ASCII characters, and the CER
    of the plain-ASCII lines alone."""
    errs = total = hit = nonascii = aerrs = atotal = 0
    with torch.no_grad():
        for x, xl, _, _, ids in batches(idx, feats, labels, 64):
            lp = model(x).log_softmax(-1)
            for r, j in enumerate(ids):
                hyp = greedy(lp[r], int(xl[r]))
                ref = labels[j].tolist()
                e = edit(hyp, ref)
                errs += e
                total += len(ref)
                if is_ascii_line(ref, classes):
                    aerrs += e
                    atotal += len(ref)
                for c in set(ref):
                    if ord(classes[c][0]) > 127:
                        k = ref.count(c)
                        nonascii += k
                        hit += min(k, hyp.count(c))
    return errs / max(total, 1), hit / max(nonascii, 1), aerrs / max(atotal, 1)


def edit(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('features', nargs='+')
    p.add_argument('--out', required=True)
    p.add_argument('--epochs', type=int, default=12)
    p.add_argument('--hidden', type=int, default=0)
    p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--minutes', type=float, default=20)
    p.add_argument('--anchor', type=float, default=1e-3,
                   help='L2 weight pulling W and b of the original classes toward their initial values')
    p.add_argument('--distill', type=float, default=1.0,
                   help='weight of the KL term toward the original classifier on plain-ASCII lines')
    p.add_argument('--ignore-extra', action='store_true',
                   help='train on the classifier features alone, dropping the extra ones of the feature runs')
    p.add_argument('--resume', help='a head .bin written by this script (same classes and --hidden) to go on from')
    args = p.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    # Runs made after a class was appended to the alphabet have a longer list with the same prefix.
    widest = max(args.features, key=lambda f: len(json.load(open(f + '.json'))['classes']))
    meta = json.load(open(widest + '.json'))
    dim, classes = meta['dim'], meta['classes']
    extra, extra_dim = meta.get('extra'), meta.get('extraDim', 0)
    file_extra_dim = extra_dim
    k = len(classes)
    init = np.fromfile(widest + '.init.bin', dtype='<f4')
    w0 = init[:dim * k].reshape(dim, k).copy()
    b0 = init[dim * k:].copy()
    new = np.array([o < 0 for o in meta['origin']])
    b0[new] = np.percentile(b0[~new], 10)
    feats, labels = [], []
    for f in args.features:
        m = json.load(open(f + '.json'))
        assert m['classes'] == classes[:len(m['classes'])] and m['sha256'] == meta['sha256']
        assert m.get('extra') == extra and m.get('extraDim', 0) == extra_dim, f'{f}: other extra features'
        a, b = read_features(f, dim + file_extra_dim)
        if args.ignore_extra and file_extra_dim:
            a = [np.ascontiguousarray(x[:, :dim]) for x in a]
        feats += a
        labels += b
    if args.ignore_extra:
        extra, extra_dim = None, 0
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(feats))
    held = order[: max(len(order) // 20, min(200, len(order) // 4))]
    train = order[len(held):]
    mean = std = None
    if extra_dim:
        sample = np.concatenate([feats[j] for j in train[:2000]])
        mean, std = sample.mean(0).astype(np.float32), (sample.std(0) + 1e-3).astype(np.float32)
    model = Head(w0, b0, args.hidden, dim + extra_dim, mean, std)
    if args.resume:
        blob = np.fromfile(args.resume, dtype='<f4')
        at = 0
        assert not extra_dim, '--resume is not supported with extra features'
        for prm in [model.w, model.b] + ([model.a, model.c, model.bb] if args.hidden else []):
            n = prm.numel()
            prm.data = torch.from_numpy(blob[at:at + n].reshape(prm.shape).copy())
            at += n
        assert at == len(blob), 'resume file does not match the head shape'
    before = evaluate(model, feats, labels, classes, held)
    print(f'{len(train)} training lines ({sum(is_ascii_line(labels[j], classes) for j in train)} plain ASCII), {len(held)} validation; '
          f'before: CER {before[0]:.4f}, non-ASCII recall {before[1]:.3f}, ASCII-line CER {before[2]:.4f}', flush=True)
    ascii_line = np.array([is_ascii_line(lab, classes) for lab in labels])
    w0t, b0t = torch.from_numpy(w0), torch.from_numpy(b0)
    new_t = torch.from_numpy(new)
    old_t = (~new_t).float()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * ((len(train) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    started = time.time()
    for epoch in range(args.epochs):
        train = rng.permutation(train)
        seen = loss_sum = 0
        for x, xl, y, yl, ids in batches(train, feats, labels, 32):
            lps = model(x).log_softmax(-1)
            loss = F.ctc_loss(lps.transpose(0, 1), y, xl, yl, blank=0, reduction='mean', zero_infinity=True)
            # The original reads plain ASCII on scans better than CTC on synthetic lines teaches:
            # on those lines the head copies its distribution, timestep by timestep.
            kd = torch.zeros(())
            sel = torch.from_numpy(ascii_line[ids])
            if args.distill and bool(sel.any()):
                valid = (torch.arange(x.shape[1])[None, :] < xl[:, None]) & sel[:, None]
                with torch.no_grad():
                    pt = teacher_logits(x, w0t, b0t, new_t).log_softmax(-1)
                kl = (pt.exp() * (pt.masked_fill(new_t, 0) - lps)).sum(-1)
                kd = (kl * valid).sum() / valid.sum()
            # The original's rows stay near where they were (the hidden branch is free).
            reg = args.anchor * ((((model.w - w0t) ** 2) * old_t).sum() + (((model.b - b0t) ** 2) * old_t).sum())
            opt.zero_grad()
            (loss + args.distill * kd + reg).backward()
            opt.step()
            sched.step()
            seen += 1
            loss_sum += float(loss)
        cer, rec, acer = evaluate(model, feats, labels, classes, held)
        print(f'epoch {epoch + 1}: loss {loss_sum / seen:.4f}, validation CER {cer:.4f}, non-ASCII recall {rec:.3f}, '
              f'ASCII-line CER {acer:.4f}, {time.time() - started:.0f} s', flush=True)
        if time.time() - started > args.minutes * 60:
            print('time limit reached', flush=True)
            break
    parts = [model.w.detach().numpy(), model.b.detach().numpy()]
    if args.hidden:
        a_raw, c_raw = model.folded()
        parts += [a_raw, c_raw, model.bb.detach().numpy()]
    if args.hidden:
        # The written weights act on the raw features as the model did on standardized ones.
        x = torch.from_numpy(feats[held[0]])
        raw = x[:, :dim] @ torch.from_numpy(parts[0]) + torch.from_numpy(parts[1]) + \
            torch.relu(x @ torch.from_numpy(parts[2]) + torch.from_numpy(parts[3])) @ torch.from_numpy(parts[4])
        with torch.no_grad():
            assert torch.allclose(raw, model(x), atol=1e-3, rtol=1e-4), 'folded weights disagree with the model'
    blob = b''.join(np.ascontiguousarray(t, dtype='<f4').tobytes() for t in parts)
    open(args.out + '.bin', 'wb').write(blob)
    json.dump({
        'model': meta['model'],
        'modelSha256': meta['sha256'],
        'features': meta['features'],
        'dim': dim,
        **({'extra': extra, 'extraDim': extra_dim} if extra_dim else {}),
        'hidden': args.hidden,
        'classes': classes,
        'weightsSha256': hashlib.sha256(blob).hexdigest(),
        'training': {
            'features': [{k: v for k, v in json.load(open(f + '.json')).items()
                          if k in ('variant', 'int8Weights', 'receiptShare', 'typoShare', 'seed', 'count')} for f in args.features],
            'lines': len(feats), 'trainingLines': len(train), 'validationLines': len(held),
            'epochs': args.epochs, 'epochsRun': epoch + 1, 'lr': args.lr, 'seed': args.seed, 'hidden': args.hidden,
            'anchor': args.anchor, 'distill': args.distill, 'resume': bool(args.resume),
            'validation': {'cerBefore': round(before[0], 4), 'nonAsciiRecallBefore': round(before[1], 4),
                           'asciiLineCerBefore': round(before[2], 4),
                           'cer': round(cer, 4), 'nonAsciiRecall': round(rec, 4), 'asciiLineCer': round(acer, 4)},
        },
    }, open(args.out + '.json', 'w', encoding='utf8'), ensure_ascii=False, indent=1)
    print(f'wrote {args.out}.bin ({len(blob)} bytes) and {args.out}.json')


if __name__ == '__main__':
    main()
