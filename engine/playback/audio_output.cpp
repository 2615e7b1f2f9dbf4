#include "playback/audio_output.h"

#include <portaudio.h>

namespace audiosplat::playback {
namespace {

int callback(const void*, void* output, unsigned long frames, const PaStreamCallbackTimeInfo*,
             PaStreamCallbackFlags, void* user) {
  const auto* target = static_cast<const CallbackTarget*>(user);
  target->mixer->render(static_cast<float*>(output), int(frames), target->channels);
  return paContinue;
}

}  // namespace

AudioOutput::AudioOutput(PlaybackMixer& mixer) : target_{&mixer, 0} {
  const PaError err = Pa_Initialize();
  initialised_ = err == paNoError;
  if (!initialised_) status_ = std::string("audio output unavailable: ") + Pa_GetErrorText(err);
}

AudioOutput::~AudioOutput() {
  close();
  if (initialised_) Pa_Terminate();
}

void AudioOutput::close() {
  if (!stream_) return;
  Pa_StopStream(stream_);
  Pa_CloseStream(stream_);
  stream_ = nullptr;
  sampleRate_ = 0;
}

bool AudioOutput::open(double sampleRate) {
  if (stream_ && sampleRate == sampleRate_) return true;
  close();
  if (!initialised_) return false;
  const PaDeviceIndex device = Pa_GetDefaultOutputDevice();
  if (device == paNoDevice) {
    status_ = "no audio output device: playback is silent";
    return false;
  }
  const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
  for (int channels : {1, 2}) {
    if (info->maxOutputChannels < channels) continue;
    PaStreamParameters params{};
    params.device = device;
    params.channelCount = channels;
    params.sampleFormat = paFloat32;
    params.suggestedLatency = info->defaultLowOutputLatency;
    target_.channels = channels;
    PaStream* stream = nullptr;
    if (Pa_OpenStream(&stream, nullptr, &params, sampleRate, paFramesPerBufferUnspecified, paNoFlag,
                      callback, &target_) != paNoError)
      continue;
    const PaError started = Pa_StartStream(stream);
    if (started != paNoError) {
      Pa_CloseStream(stream);
      status_ = std::string("audio output failed to start: ") + Pa_GetErrorText(started);
      return false;
    }
    stream_ = stream;
    sampleRate_ = sampleRate;
    status_ = std::string("audio output: ") + info->name;
    return true;
  }
  status_ = std::string("audio output '") + info->name + "' refuses " + std::to_string(int(sampleRate)) +
            " Hz: playback is silent";
  return false;
}

}  // namespace audiosplat::playback
