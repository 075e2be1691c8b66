"""AWQ W4A16 of a model folder through llm-compressor's `oneshot`; run in `.venv-awq` (`make awq`), never in `.venv`.

The main environment (`mxlib.automp.awq_baseline`) writes the inputs (`inputs.json`: the model folder, the calibration
texts, the token limit and the recipe's arguments) into a cache folder and runs this script there. The script writes
into the same folder:

- `dequantized.safetensors`: every parameter of the model after AWQ, the quantized Linear weights replaced by their
  dequantized values (scale · (q − zero point)), float32: the file the main environment loads;
- `compressed/`: llm-compressor's compressed-tensors checkpoint (`save_pretrained(save_compressed=True)`), kept for
  the record and for its size;
- `awq.json`: the quantized layers with their weight count and scale shape and dtype, the calibration's size, the
  seconds `oneshot` took and this environment's versions.

This file imports nothing of mxlib: the two environments share files, not code.
"""
import argparse, json, platform, sys, time
from importlib.metadata import version
from pathlib import Path

import torch
from datasets import Dataset
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer
from llmcompressor import oneshot
from llmcompressor.modifiers.awq import AWQModifier
from llmcompressor.pipelines.cache import IntermediatesCache
from compressed_tensors.quantization.lifecycle.forward import fake_quantize

PACKAGES = ('llmcompressor', 'compressed-tensors', 'transformers', 'torch', 'accelerate', 'datasets')


def skip_pinning_without_accelerator():
    """llm-compressor 0.14's AWQ pins its cached activations for GPU copies (`IntermediatesCache.pin_memory`):
    torch refuses to pin where no accelerator exists ("Cannot access accelerator device when none is available"), so on
    a CPU-only machine pinning is skipped. Nothing else changes: pinning only speeds transfers to a GPU."""
    if not torch.accelerator.is_available():
        IntermediatesCache.pin_memory = lambda self, batch_index, input_names=None: None


def calibration_dataset(tokenizer, texts, max_len):
    "A `datasets.Dataset` of input ids and attention masks, each text truncated to `max_len` tokens."
    encoded = tokenizer(list(texts), truncation=True, max_length=max_len)
    return Dataset.from_dict(dict(input_ids=encoded['input_ids'], attention_mask=encoded['attention_mask']))


def dequantized_state(model):
    "({name: tensor} of every parameter with quantized weights dequantized, [per-layer facts]) after `oneshot`."
    state, layers = {}, []
    for name, module in model.named_modules():
        scheme = getattr(module, 'quantization_scheme', None)
        if scheme is None or scheme.weights is None or not hasattr(module, 'weight_scale'):
            continue
        zero_point = getattr(module, 'weight_zero_point', None)
        with torch.no_grad():
            weight = fake_quantize(module.weight, module.weight_scale, zero_point, scheme.weights)
        state[f'{name}.weight'] = weight.detach().float().clone()
        args = scheme.weights
        layers.append(dict(layer=name, weights=module.weight.numel(), shape=list(module.weight.shape),
                           num_bits=args.num_bits, type=str(args.type), strategy=str(args.strategy),
                           group_size=args.group_size, symmetric=args.symmetric,
                           scale_shape=list(module.weight_scale.shape), scale_dtype=str(module.weight_scale.dtype),
                           scale_bytes=module.weight_scale.numel() * module.weight_scale.element_size(),
                           zero_point_bytes=(0 if args.symmetric or zero_point is None
                                             else zero_point.numel() * zero_point.element_size())))
    for name, tensor in model.state_dict().items():
        if name not in state and not name.rsplit('.', 1)[-1].startswith(('weight_scale', 'weight_zero_point',
                                                                          'weight_g_idx')):
            state[name] = tensor.detach().float().clone()  # a copy each: tied weights (lm_head) share memory
    return state, layers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('folder', type=Path, help='the cache folder holding inputs.json; the results go there too')
    folder = parser.parse_args().folder
    inputs = json.loads((folder / 'inputs.json').read_text())
    torch.manual_seed(inputs.get('seed', 0))
    skip_pinning_without_accelerator()
    tokenizer = AutoTokenizer.from_pretrained(inputs['model_folder'])
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(inputs['model_folder'], dtype=torch.float32).eval()
    dataset = calibration_dataset(tokenizer, inputs['texts'], inputs['max_len'])
    recipe = [AWQModifier(**inputs['recipe'])]
    start = time.perf_counter()
    oneshot(model=model, dataset=dataset, recipe=recipe, max_seq_length=inputs['max_len'],
            num_calibration_samples=len(inputs['texts']))
    seconds = time.perf_counter() - start
    state, layers = dequantized_state(model)
    save_file(state, str(folder / 'dequantized.safetensors'))
    record = dict(oneshot_seconds=seconds, calibration_texts=len(inputs['texts']), max_len=inputs['max_len'],
                  calibration_tokens=int(sum(map(len, dataset['input_ids']))), layers=layers,
                  environment=dict(python=sys.version.split()[0], platform=platform.platform(),
                                   packages={name: version(name) for name in PACKAGES}))
    try:
        model.save_pretrained(folder / 'compressed', save_compressed=True)
        files = (folder / 'compressed').glob('*.safetensors')
        record['compressed_checkpoint_bytes'] = sum(path.stat().st_size for path in files)
    except Exception as error:  # the dequantized weights are what is evaluated: keep them, say why no checkpoint
        record['compressed_checkpoint_error'] = f'{type(error).__name__}: {error}'
    (folder / 'awq.json').write_text(json.dumps(record, indent=1))
    print(f"AWQ: {len(layers)} layers quantized in {seconds:.0f} s; wrote {folder}")


if __name__ == '__main__':
    main()
