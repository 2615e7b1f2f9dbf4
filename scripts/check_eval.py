#!/usr/bin/python3
"""Independent numpy implementation of the quality metrics of shared/design/measuring.md,
used only to cross-check `audiosplat eval` (not a project dependency).

Usage: check_eval.py REFERENCE.wav ESTIMATE.wav
Both files must be 16-bit PCM mono WAV at the same rate; prints the same JSON object
as `audiosplat eval` (null where a value is not finite).
Needs numpy (Debian: apt-get install python3-numpy; run with /usr/bin/python3).
"""
import json
import sys
import wave

import numpy as np


def read_wav16_mono(path):
    with wave.open(path) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            sys.exit(f"{path}: expected 16-bit mono PCM WAV")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data.astype(np.float64) / 32768.0, w.getframerate()


def stft_magnitudes(x, n_fft, hop):
    """|STFT| as torch.stft(center=True, pad_mode='reflect'), periodic Hann, unnormalised."""
    padded = np.pad(x, n_fft // 2, mode="reflect")
    frames = 1 + (len(padded) - n_fft) // hop
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    return np.abs(np.fft.rfft(padded[idx] * window, axis=1))


def mrstft(ref, est):
    total = 0.0
    for n_fft in (512, 1024, 2048):
        Y = stft_magnitudes(ref, n_fft, n_fft // 4)
        X = stft_magnitudes(est, n_fft, n_fft // 4)
        sc = np.linalg.norm(Y - X) / np.linalg.norm(Y)
        total += sc + np.mean(np.abs(np.log(Y + 1e-7) - np.log(X + 1e-7)))
    return total / 3


def lsd_db(ref, est):
    P = stft_magnitudes(ref, 2048, 512) ** 2
    Phat = stft_magnitudes(est, 2048, 512) ** 2
    d = 10 * np.log10(P + 1e-10) - 10 * np.log10(Phat + 1e-10)
    return np.mean(np.sqrt(np.mean(d ** 2, axis=1)))


def snr_db(ref, est):
    return 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - est) ** 2))


def si_sdr_db(ref, est):
    a = np.dot(est, ref) / np.dot(ref, ref)
    return 10 * np.log10(np.sum((a * ref) ** 2) / np.sum((a * ref - est) ** 2))


def metrics(ref, est):
    n = min(len(ref), len(est))
    ref, est = ref[:n], est[:n]
    return {"mrstft": mrstft(ref, est), "lsd_db": lsd_db(ref, est),
            "snr_db": snr_db(ref, est), "si_sdr_db": si_sdr_db(ref, est)}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ref, ref_rate = read_wav16_mono(sys.argv[1])
    est, est_rate = read_wav16_mono(sys.argv[2])
    if ref_rate != est_rate:
        sys.exit("the two files must have the same sample rate")
    with np.errstate(divide="ignore", invalid="ignore"):
        values = metrics(ref, est)
    print(json.dumps({k: (float(v) if np.isfinite(v) else None) for k, v in values.items()}))


if __name__ == "__main__":
    main()
