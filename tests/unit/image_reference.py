#!/usr/bin/python3
"""Expected outputs for conv2d_test.cpp and pooling_test.cpp, from the definitions (PyTorch's
nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d with count_include_pad=True, nn.AdaptiveAvgPool2d(1)),
written out independently of ctnn in plain Python (no numpy or torch on the build machine; the
layouts are PyTorch's: weights (out, in/groups, kh, kw), images here channels last as ctnn stores
them). Inputs and weights are small dyadic fractions, so every sum is exact and the C++ results
must equal these bit for bit whatever the order of summation.

Run: /usr/bin/python3 tests/unit/image_reference.py > tests/unit/image_reference_expected.hpp
     /usr/bin/python3 tests/unit/image_reference.py --torch   # the same values from PyTorch's layers
"""
import sys


def x_value(i):
    return ((i * 7) % 11 - 5) / 4.0


def w_value(i):
    return ((i * 5) % 13 - 6) / 8.0


def b_value(i):
    return (i % 3 - 1) / 2.0


def same_padding(n, k, s, d):
    out = (n + s - 1) // s
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def conv(H, W, C, O, KH, KW, sh=1, sw=1, pads=(0, 0, 0, 0), dh=1, dw=1, groups=1, bias=True, same=False):
    if same:
        pt, pb = same_padding(H, KH, sh, dh)
        pl, pr = same_padding(W, KW, sw, dw)
    else:
        pt, pb, pl, pr = pads
    x = [x_value(i) for i in range(H * W * C)]
    cg = C // groups
    og = O // groups
    w = [w_value(i) for i in range(O * cg * KH * KW)]
    b = [b_value(i) for i in range(O)]
    OH = (H + pt + pb - dh * (KH - 1) - 1) // sh + 1
    OW = (W + pl + pr - dw * (KW - 1) - 1) // sw + 1
    y = []
    for oh in range(OH):
        for ow in range(OW):
            for oc in range(O):
                g = oc // og
                s = 0.0
                for ic in range(cg):
                    for kh in range(KH):
                        for kw in range(KW):
                            ih = oh * sh + kh * dh - pt
                            iw = ow * sw + kw * dw - pl
                            if 0 <= ih < H and 0 <= iw < W:
                                s += w[((oc * cg + ic) * KH + kh) * KW + kw] * x[(ih * W + iw) * C + g * cg + ic]
                y.append(s + (b[oc] if bias else 0.0))
    return (OH, OW, O), y


def pool(H, W, C, KH, KW, sh, sw, pads, kind):
    pt, pb, pl, pr = pads
    x = [x_value(i) for i in range(H * W * C)]
    OH = (H + pt + pb - KH) // sh + 1
    OW = (W + pl + pr - KW) // sw + 1
    y = []
    for oh in range(OH):
        for ow in range(OW):
            for c in range(C):
                vals = []
                for kh in range(KH):
                    for kw in range(KW):
                        ih = oh * sh + kh - pt
                        iw = ow * sw + kw - pl
                        if 0 <= ih < H and 0 <= iw < W:
                            vals.append(x[(ih * W + iw) * C + c])
                y.append(max(vals) if kind == "max" else sum(vals) / (KH * KW))
    return (OH, OW, C), y


def global_avg(H, W, C):
    x = [x_value(i) for i in range(H * W * C)]
    return (C,), [sum(x[p * C + c] for p in range(H * W)) / (H * W) for c in range(C)]


def emit(name, shape_and_values):
    shape, values = shape_and_values
    print(f"// shape {shape}")
    print(f"inline constexpr double {name}[] = {{")
    print("    " + ", ".join(repr(v) for v in values) + "};")


def torch_check():
    """Compares every case with PyTorch's nn.Conv2d / nn.MaxPool2d / nn.AvgPool2d / AdaptiveAvgPool2d."""
    import torch
    import torch.nn.functional as F

    torch.set_default_dtype(torch.float64)

    def image(H, W, C):  # ctnn's (H, W, C) order -> PyTorch's (1, C, H, W)
        return torch.tensor([x_value(i) for i in range(H * W * C)]).reshape(1, H, W, C).permute(0, 3, 1, 2)

    def back(t):  # (1, C, H, W) -> ctnn's flat (H, W, C) order
        return t.permute(0, 2, 3, 1).reshape(-1).tolist()

    def torch_conv(H, W, C, O, KH, KW, sh=1, sw=1, pads=(0, 0, 0, 0), dh=1, dw=1, groups=1, bias=True, same=False):
        if same:
            pt, pb = same_padding(H, KH, sh, dh)
            pl, pr = same_padding(W, KW, sw, dw)
        else:
            pt, pb, pl, pr = pads
        x = F.pad(image(H, W, C), (pl, pr, pt, pb))
        w = torch.tensor([w_value(i) for i in range(O * (C // groups) * KH * KW)]).reshape(O, C // groups, KH, KW)
        b = torch.tensor([b_value(i) for i in range(O)]) if bias else None
        return back(F.conv2d(x, w, b, stride=(sh, sw), dilation=(dh, dw), groups=groups))

    cases = [
        (conv(5, 5, 2, 3, 3, 3), torch_conv(5, 5, 2, 3, 3, 3)),
        (conv(6, 7, 2, 4, 3, 2, sh=2, sw=1, groups=2, same=True), torch_conv(6, 7, 2, 4, 3, 2, sh=2, sw=1, groups=2, same=True)),
        (conv(7, 7, 3, 3, 3, 3, pads=(1, 2, 0, 1), dh=2, dw=2, groups=3, bias=False),
         torch_conv(7, 7, 3, 3, 3, 3, pads=(1, 2, 0, 1), dh=2, dw=2, groups=3, bias=False)),
        (conv(5, 4, 8, 2, 3, 3, sh=2, sw=1, pads=(1, 0, 1, 1)), torch_conv(5, 4, 8, 2, 3, 3, sh=2, sw=1, pads=(1, 0, 1, 1))),
        (pool(5, 6, 2, 2, 2, 2, 2, (0, 0, 0, 0), "max"), back(F.max_pool2d(image(5, 6, 2), 2))),
        (pool(5, 6, 2, 2, 3, 1, 2, (0, 0, 0, 0), "avg"), back(F.avg_pool2d(image(5, 6, 2), (2, 3), (1, 2)))),
        (pool(5, 5, 2, 3, 3, 2, 2, (1, 1, 1, 1), "max"), back(F.max_pool2d(image(5, 5, 2), 3, 2, padding=1))),
        (pool(5, 5, 2, 3, 3, 2, 2, (1, 1, 1, 1), "avg"), back(F.avg_pool2d(image(5, 5, 2), 3, 2, padding=1))),
        (global_avg(4, 3, 3), F.adaptive_avg_pool2d(image(4, 3, 3), 1).reshape(-1).tolist()),
    ]
    worst = 0.0
    for (_, ours), theirs in cases:
        assert len(ours) == len(theirs)
        worst = max(worst, max(abs(a - b) for a, b in zip(ours, theirs)))
    print(f"{len(cases)} cases agree with PyTorch {torch.__version__}: largest difference {worst}")
    return worst < 1e-12


if len(sys.argv) > 1 and sys.argv[1] == "--torch":
    sys.exit(0 if torch_check() else 1)

print("#pragma once")
print("// Generated by tests/unit/image_reference.py: expected outputs, from the layers' definitions.")
print("// clang-format off")
print("namespace image_reference {")
emit("conv_valid", conv(5, 5, 2, 3, 3, 3))
emit("conv_same_strided_grouped", conv(6, 7, 2, 4, 3, 2, sh=2, sw=1, groups=2, same=True))
emit("conv_explicit_dilated_depthwise", conv(7, 7, 3, 3, 3, 3, pads=(1, 2, 0, 1), dh=2, dw=2, groups=3, bias=False))
emit("conv_wide_kernel", conv(5, 4, 8, 2, 3, 3, sh=2, sw=1, pads=(1, 0, 1, 1)))
emit("max_pool", pool(5, 6, 2, 2, 2, 2, 2, (0, 0, 0, 0), "max"))
emit("avg_pool", pool(5, 6, 2, 2, 3, 1, 2, (0, 0, 0, 0), "avg"))
emit("max_pool_padded", pool(5, 5, 2, 3, 3, 2, 2, (1, 1, 1, 1), "max"))
emit("avg_pool_padded", pool(5, 5, 2, 3, 3, 2, 2, (1, 1, 1, 1), "avg"))
emit("global_avg_pool", global_avg(4, 3, 3))
print("}  // namespace image_reference")
print("// clang-format on")
