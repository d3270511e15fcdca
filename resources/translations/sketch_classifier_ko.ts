<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>AnswerPanel</name>
    <message>
        <source>Loading chart…</source>
        <translation>차트를 불러오는 중…</translation>
    </message>
    <message>
        <source>Model&apos;s view (28×28):</source>
        <translation>모델이 보는 그림 (28×28):</translation>
    </message>
    <message>
        <source>Answer:</source>
        <translation>답:</translation>
    </message>
</context>
<context>
    <name>CanvasTools</name>
    <message>
        <source>Pen width</source>
        <translation>펜 굵기</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>실행 취소</translation>
    </message>
    <message>
        <source>Undo the last stroke, clear or load</source>
        <translation>마지막 획, 지우기, 불러오기를 취소합니다</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>모두 지우기</translation>
    </message>
    <message>
        <source>Clear the canvas</source>
        <translation>캔버스를 모두 지웁니다</translation>
    </message>
    <message>
        <source>Open an image file to classify</source>
        <translation>분류할 이미지 파일을 엽니다</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>붙여넣기</translation>
    </message>
    <message>
        <source>Paste an image or image file</source>
        <translation>이미지나 이미지 파일을 붙여넣습니다</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>지우개</translation>
    </message>
    <message>
        <source>Erase instead of drawing (the right button always erases)</source>
        <translation>그리는 대신 지웁니다 (오른쪽 버튼은 언제나 지우개입니다)</translation>
    </message>
    <message>
        <source>Pen:</source>
        <translation>펜:</translation>
    </message>
</context>
<context>
    <name>ClassifyTab</name>
    <message>
        <source>Images</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>모든 파일</translation>
    </message>
    <message>
        <source>Could not open the model: {0}</source>
        <translation>모델을 열 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Loading {file}…</source>
        <translation>{file} 불러오는 중…</translation>
    </message>
    <message>
        <source>Cannot read this picture: {0}</source>
        <translation>이 그림을 읽을 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>The model gave no usable answer: {0}</source>
        <translation>모델이 쓸 수 있는 답을 내지 못했습니다: {0}</translation>
    </message>
    <message>
        <source>Now using {file}.</source>
        <translation>이제 {file} 모델을 씁니다.</translation>
    </message>
    <message>
        <source>Could not open the model: {reason}. Still using {model}.</source>
        <translation>모델을 열 수 없습니다: {reason}. 계속 {model} 모델을 씁니다.</translation>
    </message>
    <message>
        <source>The {0} model could not be loaded: {1}</source>
        <translation>{0} 모델을 불러올 수 없습니다: {1}</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>불러오지 못함</translation>
    </message>
    <message>
        <source>loading model…</source>
        <translation>모델 불러오는 중…</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>모드:</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>모델 열기…</translation>
    </message>
    <message>
        <source>Open a .keras model ({keys})</source>
        <translation>.keras 모델을 엽니다 ({keys})</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>Keras models (*.keras);;All files (*)</source>
        <translation>Keras 모델 (*.keras);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>모델 열기</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <source>Rows: true class. Columns: predicted class. Shade: share of the row.</source>
        <translation>행: 실제 클래스. 열: 예측한 클래스. 색의 진하기: 그 행에서 차지하는 비율.</translation>
    </message>
    <message>
        <source>true {0}, predicted {1}: {2} ({3:.1%})</source>
        <translation>실제 {0}, 예측 {1}: {2}개 ({3:.1%})</translation>
    </message>
</context>
<context>
    <name>DatasetDownloadPanel</name>
    <message>
        <source>Already have the files? Choose their folder with Data folder “Browse…”.</source>
        <translation>파일이 이미 있나요? 데이터 폴더의 “찾아보기…”로 그 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>{0} is not on this computer yet.</source>
        <translation>{0} 데이터셋이 아직 이 컴퓨터에 없습니다.</translation>
    </message>
    <message>
        <source>Download {0} ({1})</source>
        <translation>{0} 내려받기 ({1})</translation>
    </message>
    <message>
        <source>Download it from the Keras datasets origin into {0}</source>
        <translation>Keras 데이터셋의 원래 주소에서 내려받아 {0}에 저장합니다</translation>
    </message>
    <message>
        <source>Downloading {0} into {1}…</source>
        <translation>{1}에 {0} 내려받는 중…</translation>
    </message>
    <message>
        <source>Cancelling the download…</source>
        <translation>내려받기를 취소하는 중…</translation>
    </message>
    <message>
        <source>Downloaded to {0}.</source>
        <translation>{0}에 내려받았습니다.</translation>
    </message>
    <message>
        <source>Download cancelled. No partial file was kept.</source>
        <translation>내려받기를 취소했습니다. 받다 만 파일은 남기지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>DistribOptions</name>
    <message>
        <source>One device</source>
        <translation>장치 하나</translation>
    </message>
    <message>
        <source>Mirrored (every local device)</source>
        <translation>미러링 (이 컴퓨터의 모든 장치)</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>분산 학습</translation>
    </message>
    <message>
        <source>tf.distribute strategy. Multi-worker runs start from the command line: train --strategy multi-worker (see README).</source>
        <translation>텐서플로의 분산 학습 전략입니다. 여러 컴퓨터(워커)에 나눠 학습하는 것은 명령줄에서 시작합니다. 자세한 내용은 설명서를 참고하세요.</translation>
    </message>
    <message>
        <source>Cache a folder&apos;s images and stream them</source>
        <translation>폴더의 이미지를 캐시에 담아 스트리밍</translation>
    </message>
    <message>
        <source>Preprocess the folder&apos;s images once into a cache (later runs redo only new or changed files) and stream them while training: for folders too big for memory.</source>
        <translation>폴더의 이미지를 한 번 전처리해 캐시에 담고(다음부터는 새로 생기거나 바뀐 파일만 다시 처리), 학습하는 동안 스트리밍으로 읽습니다. 메모리에 다 들어가지 않는 큰 폴더에 알맞습니다.</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>전략</translation>
    </message>
</context>
<context>
    <name>DistribPanel</name>
    <message>
        <source>Strategy: {0} · {1} workers, {2} replicas in step ({3})</source>
        <translation>전략: {0} · 워커 {1}개, 복제본 {2}개가 함께 학습 ({3})</translation>
    </message>
    <message>
        <source>Worker {0}</source>
        <translation>워커 {0}</translation>
    </message>
    <message>
        <source>Strategy: {0} · {1} replicas in step ({2})</source>
        <translation>전략: {0} · 복제본 {1}개가 함께 학습 ({2})</translation>
    </message>
    <message>
        <source>Replica {0} ({1})</source>
        <translation>복제본 {0} ({1})</translation>
    </message>
    <message>
        <source>Caching images: {0:,} / {1:,}</source>
        <translation>이미지를 캐시에 담는 중: {0:,} / {1:,}</translation>
    </message>
</context>
<context>
    <name>DownloadWorker</name>
    <message>
        <source>The download failed unexpectedly: {0}: {1}</source>
        <translation>내려받기가 예기치 않게 실패했습니다: {0}: {1}</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Sketch Classifier</source>
        <translation>스케치 분류기</translation>
    </message>
    <message>
        <source>Something went wrong: {error}

The app keeps running; the details were printed to the terminal.</source>
        <translation>문제가 생겼습니다: {error}

앱은 계속 실행됩니다. 자세한 내용은 터미널에 출력했습니다.</translation>
    </message>
</context>
<context>
    <name>ExamplesDialog</name>
    <message>
        <source>My examples — {0}</source>
        <translation>내 예제 — {0}</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Move to…</source>
        <translation>옮기기…</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>가져오기…</translation>
    </message>
    <message>
        <source>A folder…</source>
        <translation>폴더…</translation>
    </message>
    <message>
        <source>A .zip file…</source>
        <translation>.zip 파일…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>As a folder…</source>
        <translation>폴더로…</translation>
    </message>
    <message>
        <source>As a .zip file…</source>
        <translation>.zip 파일로…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Folder: {0}</source>
        <translation>폴더: {0}</translation>
    </message>
    <message>
        <source>Deleted {0} example(s).</source>
        <translation>예제 {0}개를 삭제했습니다.</translation>
    </message>
    <message>
        <source>Moved {0} example(s) to {1}.</source>
        <translation>예제 {0}개를 {1} 클래스로 옮겼습니다.</translation>
    </message>
    <message>
        <source>Imported {0} example(s)</source>
        <translation>예제 {0}개를 가져왔습니다</translation>
    </message>
    <message>
        <source>Exported {0} example(s) to {1}</source>
        <translation>예제 {0}개를 내보냈습니다: {1}</translation>
    </message>
    <message>
        <source>{0}; skipped {1}: {2}</source>
        <translation>{0}. {1}개는 건너뛰었습니다: {2}</translation>
    </message>
    <message>
        <source>not a readable image</source>
        <translation>읽을 수 있는 이미지가 아닙니다</translation>
    </message>
    <message>
        <source>{0} (unreadable)</source>
        <translation>{0} (읽을 수 없음)</translation>
    </message>
    <message>
        <source>{0}
{1}: skipped (training skips it too)</source>
        <translation>{0}
{1}: 건너뜀 (학습에서도 건너뜁니다)</translation>
    </message>
    <message>
        <source>{0} file(s) could not be read and are skipped: {1}</source>
        <translation>파일 {0}개를 읽을 수 없어 건너뜁니다: {1}</translation>
    </message>
    <message>
        <source>Delete {0} example(s)? This cannot be undone.</source>
        <translation>예제 {0}개를 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Delete examples</source>
        <translation>예제 삭제</translation>
    </message>
    <message>
        <source>Folder with one sub-folder per class</source>
        <translation>클래스마다 하위 폴더가 하나씩 있는 폴더</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip 파일 (*.zip)</translation>
    </message>
    <message>
        <source>Import examples</source>
        <translation>예제 가져오기</translation>
    </message>
    <message>
        <source>A folder to export to</source>
        <translation>내보낼 폴더</translation>
    </message>
    <message>
        <source>Export examples</source>
        <translation>예제 내보내기</translation>
    </message>
</context>
<context>
    <name>ExplainerLoadWorker</name>
    <message>
        <source>this needs TensorFlow, which this build does not have</source>
        <translation>TensorFlow가 필요한데 이 빌드에는 없습니다</translation>
    </message>
</context>
<context>
    <name>ExportWorker</name>
    <message>
        <source>cannot write {0}: {1}</source>
        <translation>{0}에 쓸 수 없습니다: {1}</translation>
    </message>
    <message>
        <source>the export failed: {0}: {1}</source>
        <translation>내보내기에 실패했습니다: {0}: {1}</translation>
    </message>
</context>
<context>
    <name>InsideController</name>
    <message>
        <source>Inside the model</source>
        <translation>모델 내부 보기</translation>
    </message>
    <message>
        <source>Show what each layer of the model sees, live while you draw</source>
        <translation>그리는 동안 모델의 각 층이 무엇을 보는지 실시간으로 보여 줍니다</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>모델을 기다리는 중…</translation>
    </message>
    <message>
        <source>Cannot look inside this model.</source>
        <translation>이 모델은 내부를 볼 수 없습니다.</translation>
    </message>
    <message>
        <source>Building the model&apos;s layers (TensorFlow)…</source>
        <translation>모델의 층을 준비하는 중 (TensorFlow)…</translation>
    </message>
    <message>
        <source>Cannot look inside this model: {0}</source>
        <translation>이 모델은 내부를 볼 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Loading TensorFlow…</source>
        <translation>TensorFlow 불러오는 중…</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>계산하는 중…</translation>
    </message>
    <message>
        <source>No saliency: {0}</source>
        <translation>중요도를 볼 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>InsidePanel</name>
    <message>
        <source>Inside the model</source>
        <translation>모델 내부</translation>
    </message>
    <message>
        <source>Saliency: which strokes decided it</source>
        <translation>중요도: 어떤 획이 답을 정했는지</translation>
    </message>
    <message>
        <source>Integrated gradients against a blank canvas, computed in the background: red ink pushed toward the answer, blue toward the runner-up</source>
        <translation>빈 캔버스와 비교한 통합 그레이디언트를 백그라운드에서 계산합니다. 빨간 잉크는 답 쪽으로, 파란 잉크는 2위 쪽으로 민 부분입니다</translation>
    </message>
    <message>
        <source>The model&apos;s view, coloured by each pixel&apos;s effect on the answer</source>
        <translation>모델이 보는 그림을 각 픽셀이 답에 준 영향에 따라 색칠한 것</translation>
    </message>
    <message>
        <source>blue: toward {0}
red: toward {1}</source>
        <translation>파랑: {0} 쪽으로
빨강: {1} 쪽으로</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System (follow the computer&apos;s language)</source>
        <translation>시스템 (컴퓨터의 언어를 따름)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>The new language is used from the next start of Sketch Classifier.</source>
        <translation>새 언어는 스케치 분류기를 다음에 시작할 때부터 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>LayerStackView</name>
    <message>
        <source>input:</source>
        <translation>입력:</translation>
    </message>
    <message>
        <source>output:</source>
        <translation>출력:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sketch Classifier</source>
        <translation>스케치 분류기</translation>
    </message>
    <message>
        <source>Classify</source>
        <translation>분류</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Save the model in use as .tflite or a SavedModel</source>
        <translation>사용 중인 모델을 .tflite 또는 SavedModel로 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>모델(&amp;M)</translation>
    </message>
    <message>
        <source>Training needs the full build.</source>
        <translation>학습하려면 전체 빌드가 필요합니다.</translation>
    </message>
</context>
<context>
    <name>MisclassifiedStrip</name>
    <message>
        <source>{0}
true: {1}</source>
        <translation>{0}
실제: {1}</translation>
    </message>
    <message>
        <source>Test image #{0}: predicted {1}, true {2}</source>
        <translation>테스트 이미지 #{0}: 예측 {1}, 실제 {2}</translation>
    </message>
</context>
<context>
    <name>ModelChooser</name>
    <message>
        <source>What to recognise; each mode has its own model</source>
        <translation>무엇을 알아볼지 고릅니다. 모드마다 모델이 따로 있습니다</translation>
    </message>
    <message>
        <source>The Keras tutorial CNN, trained on {dataset} as the dataset comes (no augmentation): compare it with the default model on your own drawings</source>
        <translation>Keras 튜토리얼의 CNN을 {dataset} 데이터셋 그대로(증강 없이) 학습한 모델입니다. 직접 그린 그림으로 기본 모델과 비교해 보세요</translation>
    </message>
    <message>
        <source>Digits — tutorial CNN</source>
        <translation>숫자 — 튜토리얼 CNN</translation>
    </message>
    <message>
        <source>Garments — tutorial CNN</source>
        <translation>옷 — 튜토리얼 CNN</translation>
    </message>
    <message>
        <source>Your own classes: draw examples, keep them, and train a model</source>
        <translation>내가 정한 클래스: 예제를 그려 저장하고 모델을 학습시키세요</translation>
    </message>
    <message>
        <source>{0} (my classes)</source>
        <translation>{0} (내 클래스)</translation>
    </message>
</context>
<context>
    <name>ModelExporter</name>
    <message>
        <source>TensorFlow Lite model (*.tflite)</source>
        <translation>TensorFlow Lite 모델 (*.tflite)</translation>
    </message>
    <message>
        <source>TensorFlow SavedModel folder (*)</source>
        <translation>TensorFlow SavedModel 폴더 (*)</translation>
    </message>
    <message>
        <source>Export {0}</source>
        <translation>{0} 내보내기</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>이미 내보내는 중입니다.</translation>
    </message>
    <message>
        <source>Exported to {path}.

Verified: loaded back, its outputs on {samples} probe images match the model&apos;s.</source>
        <translation>내보냈습니다: {path}.

검증 완료: 다시 불러와 시험 이미지 {samples}장에 대한 출력이 원래 모델과 일치합니다.</translation>
    </message>
    <message>
        <source>The export failed: {0}

Nothing was written.</source>
        <translation>내보내기에 실패했습니다: {0}

아무것도 쓰지 않았습니다.</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>모델 내보내기</translation>
    </message>
</context>
<context>
    <name>ModelLoader</name>
    <message>
        <source>TensorFlow could not be loaded: {0}</source>
        <translation>TensorFlow를 불러올 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>cannot load the model: {0}: {1}</source>
        <translation>모델을 불러올 수 없습니다: {0}: {1}</translation>
    </message>
</context>
<context>
    <name>ModelSummaryView</name>
    <message>
        <source>Layer (type)</source>
        <translation>층 (종류)</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>출력 모양</translation>
    </message>
    <message>
        <source>Param #</source>
        <translation>파라미터 수</translation>
    </message>
    <message>
        <source>The model&apos;s layers appear here.</source>
        <translation>모델의 층이 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>Model: &quot;{0}&quot; (input {1})</source>
        <translation>모델: &quot;{0}&quot; (입력 {1})</translation>
    </message>
    <message>
        <source>Total params: {0:,} ({1:.2f} MB)
Trainable params: {2:,}
Non-trainable params: {3:,}</source>
        <translation>전체 파라미터: {0:,}개 ({1:.2f} MB)
학습되는 파라미터: {2:,}개
학습되지 않는 파라미터: {3:,}개</translation>
    </message>
</context>
<context>
    <name>ModelViewPanel</name>
    <message>
        <source>What the model sees: your drawing cropped, scaled to 28x28 and centred</source>
        <translation>모델이 보는 그림: 그린 것을 잘라 28×28로 줄이고 가운데에 놓은 모습</translation>
    </message>
</context>
<context>
    <name>NewModeDialog</name>
    <message>
        <source>New mode</source>
        <translation>새 모드</translation>
    </message>
    <message>
        <source>for example: Shapes</source>
        <translation>예: 도형</translation>
    </message>
    <message>
        <source>circle
triangle
square</source>
        <translation>원
삼각형
사각형</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>만들기</translation>
    </message>
    <message>
        <source>Name a mode and {0} to {1} classes. Then draw examples of each class, keep them, and train a model for the mode.</source>
        <translation>모드 이름과 클래스 {0}~{1}개를 정하세요. 그런 다음 클래스마다 예제를 그려 저장하고, 이 모드의 모델을 학습시키세요.</translation>
    </message>
    <message>
        <source>Mode name</source>
        <translation>모드 이름</translation>
    </message>
    <message>
        <source>Classes (one per line)</source>
        <translation>클래스 (한 줄에 하나씩)</translation>
    </message>
</context>
<context>
    <name>PersonalizeButton</name>
    <message>
        <source>Personalise</source>
        <translation>내게 맞추기</translation>
    </message>
    <message>
        <source>Fine-tune the model in use on your examples of this mode (the Train tab shows its progress); the result is a new model, and the bundled one stays in the list</source>
        <translation>지금 쓰는 모델을 이 모드에서 모은 내 예제로 미세 조정합니다(진행 상황은 학습 탭에 표시). 결과는 새 모델로 저장되고, 기본 제공 모델도 목록에 그대로 남습니다</translation>
    </message>
</context>
<context>
    <name>Personalizer</name>
    <message>
        <source>Personalise</source>
        <translation>내게 맞추기</translation>
    </message>
    <message>
        <source>Fine-tune the model in use on your examples of its mode (kept with “Wrong? It&apos;s…” and “Keep” in the Classify tab), with some of the built-in dataset mixed in so it does not forget; the result is a new model</source>
        <translation>지금 쓰는 모델을 그 모드의 내 예제(분류 탭의 “틀렸나요? 정답은…”과 “예제로 저장”으로 모은 것)로 미세 조정합니다. 이미 배운 것을 잊지 않도록 기본 데이터셋 일부를 섞어 학습하며, 결과는 새 모델로 저장됩니다</translation>
    </message>
    <message>
        <source>No model is in use yet: wait until it has loaded.</source>
        <translation>아직 사용 중인 모델이 없습니다. 모델을 불러올 때까지 기다려 주세요.</translation>
    </message>
    <message>
        <source>{0} belongs to no mode with an examples folder.</source>
        <translation>{0} 모델은 예제 폴더가 있는 모드에 속하지 않습니다.</translation>
    </message>
    <message>
        <source>Too few examples to learn from in {0}. Keep some first: in the Classify tab, “Wrong? It&apos;s…” or “Keep” saves the drawing as an example.</source>
        <translation>{0} 폴더에 학습할 예제가 너무 적습니다. 먼저 예제를 모아 주세요. 분류 탭에서 “틀렸나요? 정답은…”이나 “예제로 저장”을 누르면 그림이 예제로 저장됩니다.</translation>
    </message>
    <message>
        <source>{0} examples, {1} measured without being trained on ({2}-fold).</source>
        <translation>예제 {0}개 중 {1}개는 학습에 쓰지 않고 평가에만 썼습니다({2}겹 교차 검증).</translation>
    </message>
    <message>
        <source>{0} examples, {1} measured without being trained on.</source>
        <translation>예제 {0}개 중 {1}개는 학습에 쓰지 않고 평가에만 썼습니다.</translation>
    </message>
    <message>
        <source>  skipped {0}</source>
        <translation>  건너뜀: {0}</translation>
    </message>
    <message>
        <source>{0} It is now the model in use in the Classify tab; the bundled one stays in its Mode list.</source>
        <translation>{0} 이제 분류 탭에서 이 모델을 사용합니다. 기본 제공 모델은 모드 목록에 그대로 있습니다.</translation>
    </message>
    <message>
        <source>Personalised {0}: on your examples: {1} → {2}</source>
        <translation>{0} 모델을 내게 맞췄습니다. 내 예제 정확도: {1} → {2}</translation>
    </message>
    <message>
        <source>; on the {0} test set: {1} → {2}</source>
        <translation>, {0} 시험 세트 정확도: {1} → {2}</translation>
    </message>
</context>
<context>
    <name>ProbabilityChart</name>
    <message>
        <source>probability</source>
        <translation>확률</translation>
    </message>
    <message>
        <source>Class probabilities; the most probable class is highlighted</source>
        <translation>클래스별 확률. 가장 가능성이 높은 클래스가 강조됩니다</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>Test accuracy: —</source>
        <translation>테스트 정확도: —</translation>
    </message>
    <message>
        <source>Misclassified test images</source>
        <translation>잘못 분류된 테스트 이미지</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>이 모델 사용</translation>
    </message>
    <message>
        <source>Classify with the model just trained</source>
        <translation>방금 학습한 모델로 분류합니다</translation>
    </message>
    <message>
        <source>Save model as…</source>
        <translation>다른 이름으로 모델 저장…</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true class, columns: predicted)</source>
        <translation>혼동 행렬 (행: 실제 클래스, 열: 예측)</translation>
    </message>
    <message>
        <source>Test accuracy: {0:.2%} on {1:,} test images</source>
        <translation>테스트 정확도: {0:.2%} (테스트 이미지 {1:,}장)</translation>
    </message>
    <message>
        <source>Misclassified test images ({0} shown; caption: predicted, then true)</source>
        <translation>잘못 분류된 테스트 이미지 ({0}장 표시, 설명: 예측 다음에 실제)</translation>
    </message>
    <message>
        <source>Best epoch {best} of {epochs} ({how}). Saved to {path} in {duration}.</source>
        <translation>{epochs}번 중 가장 좋은 에포크는 {best}번째입니다 ({how}). {duration} 걸려 {path}에 저장했습니다.</translation>
    </message>
    <message>
        <source>Could not save the model to {0}: {1}. Nothing was overwritten.</source>
        <translation>모델을 {0}에 저장할 수 없습니다: {1}. 덮어쓴 것은 없습니다.</translation>
    </message>
    <message>
        <source>Save model as</source>
        <translation>다른 이름으로 모델 저장</translation>
    </message>
    <message>
        <source>Keras models (*.keras)</source>
        <translation>Keras 모델 (*.keras)</translation>
    </message>
</context>
<context>
    <name>SketchCanvas</name>
    <message>
        <source>Draw with the left button or a pen; the right button erases.
Drop or paste an image to classify it, and draw over it if you like.</source>
        <translation>왼쪽 버튼이나 펜으로 그리고, 오른쪽 버튼으로 지웁니다.
이미지를 끌어다 놓거나 붙여넣으면 분류하고, 그 위에 그려도 됩니다.</translation>
    </message>
    <message>
        <source>Could not open the image: {0}</source>
        <translation>이미지를 열 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Could not use the image: {0}</source>
        <translation>이미지를 쓸 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>The clipboard holds no image or image file to paste.</source>
        <translation>클립보드에 붙여넣을 이미지나 이미지 파일이 없습니다.</translation>
    </message>
    <message>
        <source>the clipboard</source>
        <translation>클립보드</translation>
    </message>
    <message>
        <source>the dropped data</source>
        <translation>끌어다 놓은 데이터</translation>
    </message>
    <message>
        <source>Loaded {0}. Draw over it if you like.</source>
        <translation>불러왔습니다: {0}. 원하면 그 위에 그려 보세요.</translation>
    </message>
</context>
<context>
    <name>SummaryWorker</name>
    <message>
        <source>Cannot build {0}: {1}</source>
        <translation>{0} 모델을 만들 수 없습니다: {1}</translation>
    </message>
</context>
<context>
    <name>TeachActions</name>
    <message>
        <source>&amp;Examples</source>
        <translation>예제(&amp;E)</translation>
    </message>
    <message>
        <source>New mode…</source>
        <translation>새 모드…</translation>
    </message>
    <message>
        <source>Make a mode of your own classes</source>
        <translation>내가 정한 클래스로 모드를 만듭니다</translation>
    </message>
    <message>
        <source>My examples…</source>
        <translation>내 예제…</translation>
    </message>
    <message>
        <source>See, sort, import and export the mode&apos;s examples</source>
        <translation>이 모드의 예제를 보고, 정리하고, 가져오고, 내보냅니다</translation>
    </message>
    <message>
        <source>This model has no examples folder.</source>
        <translation>이 모델에는 예제 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>New mode {0}: draw each class and keep it ({1}+ per class), then train its model.</source>
        <translation>새 모드 {0}: 클래스마다 그림을 그려 예제로 {1}개 이상 저장한 다음, 이 모드의 모델을 학습시키세요.</translation>
    </message>
    <message>
        <source>Keep at least {0} examples of every class first (now: {1}).</source>
        <translation>먼저 클래스마다 예제를 {0}개 이상 저장하세요 (지금: {1}).</translation>
    </message>
    <message>
        <source>Training needs the full build.</source>
        <translation>학습하려면 전체 빌드가 필요합니다.</translation>
    </message>
    <message>
        <source>The Train tab is busy; try again when it is done.</source>
        <translation>학습 탭이 아직 작업 중입니다. 끝난 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Could not record the mode&apos;s model: {0}</source>
        <translation>모드의 모델을 기록할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>TeachPanel</name>
    <message>
        <source>Wrong? It&apos;s…</source>
        <translation>틀렸나요? 정답은…</translation>
    </message>
    <message>
        <source>The answer is wrong: choose the right class to keep this drawing as an example of it (or type its number while the canvas has focus)</source>
        <translation>답이 틀렸다면 올바른 클래스를 골라 이 그림을 그 클래스의 예제로 저장하세요 (캔버스에 포커스가 있을 때는 그 번호를 눌러도 됩니다)</translation>
    </message>
    <message>
        <source>Keep as example</source>
        <translation>예제로 저장</translation>
    </message>
    <message>
        <source>The answer is right: keep this drawing as an example of it</source>
        <translation>답이 맞았다면 이 그림을 그 답의 예제로 저장합니다</translation>
    </message>
    <message>
        <source>My examples…</source>
        <translation>내 예제…</translation>
    </message>
    <message>
        <source>Train model for this mode</source>
        <translation>이 모드의 모델 학습</translation>
    </message>
    <message>
        <source>No model yet: draw one of your classes and keep it below</source>
        <translation>아직 모델이 없습니다. 내 클래스 중 하나를 그리고 아래에서 저장하세요</translation>
    </message>
    <message>
        <source>Draw one of your classes</source>
        <translation>내 클래스 중 하나를 그려 보세요</translation>
    </message>
    <message>
        <source>Draw a {0} or {1}</source>
        <translation>{0}, {1} 중 하나를 그려 보세요</translation>
    </message>
    <message>
        <source>Keep as {0}</source>
        <translation>{0} 예제로 저장</translation>
    </message>
    <message>
        <source>Keep what is drawn as an example of {0}</source>
        <translation>그린 것을 {0}의 예제로 저장합니다</translation>
    </message>
    <message>
        <source>No examples folder for this model</source>
        <translation>이 모델에는 예제 폴더가 없습니다</translation>
    </message>
    <message>
        <source>Examples: ?</source>
        <translation>예제: ?</translation>
    </message>
    <message>
        <source>{0} example(s) in this mode</source>
        <translation>이 모드의 예제: {0}개</translation>
    </message>
    <message>
        <source>Some custom modes were not listed: {0}</source>
        <translation>직접 만든 모드 중 일부를 목록에 넣지 못했습니다: {0}</translation>
    </message>
    <message>
        <source>The mode {0} is gone.</source>
        <translation>{0} 모드가 없어졌습니다.</translation>
    </message>
    <message>
        <source>This drawing is kept already; My examples can move it to another class.</source>
        <translation>이 그림은 이미 저장했습니다. 다른 클래스로 옮기려면 내 예제를 여세요.</translation>
    </message>
    <message>
        <source>Kept as an example of {0}: {1}</source>
        <translation>{0}의 예제로 저장했습니다: {1}</translation>
    </message>
</context>
<context>
    <name>TrainSettingsForm</name>
    <message>
        <source>Train on images changed the way real input differs from the dataset: scaled, rotated up to ±15°, sheared and shifted; thicker and thinner strokes; blurred and low-resolution like a scan; other contrast; for garments also mirrored, drawn as outlines and as filled silhouettes, so that the model learns drawings, scans and photos, not only the dataset&apos;s own images. Seeded by the random seed; validation and test images stay as they are. Epochs may take longer. (--augment on the command line)</source>
        <translation type="vanished">실제 입력이 데이터셋과 다른 방식대로 바꾼 이미지로 학습합니다: 크기 조절, ±15°까지 회전, 기울이기와 이동, 더 굵거나 가는 획, 스캔처럼 흐리고 낮은 해상도, 다른 대비, 옷은 좌우 반전과 외곽선 그림, 채워진 실루엣까지. 그래서 모델이 데이터셋 이미지뿐 아니라 그림, 스캔, 사진도 배웁니다. 랜덤 시드로 재현되며, 검증·테스트 이미지는 그대로입니다. 에포크가 더 오래 걸릴 수 있습니다. (명령줄에서는 --augment)</translation>
    </message>
    <message>
        <source>Train on images changed the way real input differs from the dataset: scaled, rotated up to ±15°, sheared and shifted; thicker and thinner strokes; blurred and low-resolution like a scan; other contrast; for garments also mirrored, drawn as outlines, line drawings, doodles and filled silhouettes, so that the model learns drawings, scans and photos, not only the dataset&apos;s own images. Seeded by the random seed; validation and test images stay as they are. Epochs may take longer. (--augment on the command line)</source>
        <translation>실제 입력이 데이터셋과 다른 방식대로 바꾼 이미지로 학습합니다: 크기 조절, ±15°까지 회전, 기울이기와 이동, 더 굵거나 가는 획, 스캔처럼 흐리고 낮은 해상도, 다른 대비, 옷은 좌우 반전과 외곽선 그림, 선 그림, 낙서, 채워진 실루엣까지. 그래서 모델이 데이터셋 이미지뿐 아니라 그림, 스캔, 사진도 배웁니다. 랜덤 시드로 재현되며, 검증·테스트 이미지는 그대로입니다. 에포크가 더 오래 걸릴 수 있습니다. (명령줄에서는 --augment)</translation>
    </message>
    <message>
        <source>Cut the learning rate to a third after each epoch without a better validation loss (down to 0.00001), so the last epochs refine rather than jump around. Give it room with an early-stopping patience of 3 or more. (--lr-decay on the command line)</source>
        <translation>검증 손실이 나아지지 않은 에포크마다 학습률을 3분의 1로 줄여(0.00001까지) 마지막 에포크들이 이리저리 튀지 않고 다듬어지게 합니다. 조기 종료 대기 에포크를 3 이상으로 넉넉히 주세요. (명령줄에서는 --lr-decay)</translation>
    </message>
    <message>
        <source>Lower the learning rate along a half cosine, from the rate above in the first epoch to a hundredth of it in the last: every epoch&apos;s rate is planned, so the last epochs refine even when the validation loss is noisy (augmented runs). The bundled garments model is trained this way. (--lr-cosine on the command line)</source>
        <translation>학습률을 반 코사인 곡선을 따라 첫 에포크의 위 학습률에서 마지막 에포크의 100분의 1까지 낮춥니다. 에포크마다 학습률이 미리 정해지므로, 검증 손실이 들쭉날쭉해도(증강한 학습) 마지막 에포크들이 모델을 다듬습니다. 내장된 의류 모델이 이렇게 학습되었습니다. (명령줄에서는 --lr-cosine)</translation>
    </message>
    <message>
        <source>The same learning rate in every epoch, as in the tutorial</source>
        <translation>튜토리얼처럼 모든 에포크에 같은 학습률</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>일정하게</translation>
    </message>
    <message>
        <source>Cut when stuck</source>
        <translation>막히면 낮추기</translation>
    </message>
    <message>
        <source>Cosine, down to a hundredth</source>
        <translation>코사인, 100분의 1까지</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>A folder of my own images…</source>
        <translation>내 이미지 폴더…</translation>
    </message>
    <message>
        <source>one sub-folder of images per class</source>
        <translation>클래스마다 이미지 하위 폴더 하나</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>standard places ($SKETCH_CLASSIFIER_DATA, ~/.keras…)</source>
        <translation>기본 위치 ($SKETCH_CLASSIFIER_DATA, ~/.keras…)</translation>
    </message>
    <message>
        <source>Augment like real input</source>
        <translation>실제 입력처럼 증강</translation>
    </message>
    <message>
        <source>Lower the learning rate when stuck</source>
        <translation type="vanished">막히면 학습률 낮추기</translation>
    </message>
    <message>
        <source>Fine-tune the model in use</source>
        <translation>사용 중인 모델 미세 조정</translation>
    </message>
    <message>
        <source>Start from the Classify tab&apos;s model instead of a fresh one</source>
        <translation>새 모델 대신 분류 탭의 모델에서 시작합니다</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>Image folder</source>
        <translation>이미지 폴더</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>전처리 방식</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>데이터 폴더</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>아키텍처</translation>
    </message>
    <message>
        <source>Epochs (max)</source>
        <translation>에포크 (최대)</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>학습률 일정</translation>
    </message>
    <message>
        <source>Validation fraction</source>
        <translation>검증 비율</translation>
    </message>
    <message>
        <source>Early-stopping patience</source>
        <translation>조기 종료 대기 에포크</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>랜덤 시드</translation>
    </message>
    <message>
        <source>Fine-tune the model in use ({0})</source>
        <translation>사용 중인 모델 미세 조정 ({0})</translation>
    </message>
    <message>
        <source>Choose a folder of images first (one sub-folder per class).</source>
        <translation>먼저 이미지 폴더를 고르세요 (클래스마다 하위 폴더 하나).</translation>
    </message>
    <message>
        <source>Folder with one sub-folder per class</source>
        <translation>클래스마다 하위 폴더가 하나씩 있는 폴더</translation>
    </message>
    <message>
        <source>Folder with the dataset&apos;s IDX files</source>
        <translation>데이터셋의 IDX 파일이 있는 폴더</translation>
    </message>
</context>
<context>
    <name>TrainTab</name>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Cancelling: stopping after this batch…</source>
        <translation>취소하는 중: 이 배치가 끝나면 멈춥니다…</translation>
    </message>
    <message>
        <source>Data: {name} from {source}: {train:,} training ({train_share:.0%}/{val_share:.0%} → train/validation) and {test:,} test images, {classes} classes</source>
        <translation>데이터: {source}의 {name}: 학습 이미지 {train:,}장 (학습/검증 {train_share:.0%}/{val_share:.0%}), 테스트 이미지 {test:,}장, 클래스 {classes}개</translation>
    </message>
    <message>
        <source>Skipped {0} unreadable image(s):</source>
        <translation>읽을 수 없는 이미지 {0}장을 건너뛰었습니다:</translation>
    </message>
    <message>
        <source>{0} image(s) could not be read and were skipped (listed in the log below). Training goes on with the others.</source>
        <translation>이미지 {0}장을 읽을 수 없어 건너뛰었습니다 (아래 기록에 있습니다). 나머지로 학습을 계속합니다.</translation>
    </message>
    <message>
        <source>Model: {0}, {1} layers, {2:,} parameters</source>
        <translation>모델: {0}, 층 {1}개, 파라미터 {2:,}개</translation>
    </message>
    <message>
        <source>Cancelled during epoch {0}; kept the best model so far.</source>
        <translation>{0}번째 에포크 중에 취소했습니다. 지금까지 가장 좋은 모델을 남겼습니다.</translation>
    </message>
    <message>
        <source>Stopped early after epoch {0}: no better validation loss for {1} epochs.</source>
        <translation>{0}번째 에포크 뒤 조기 종료: {1}번의 에포크 동안 검증 손실이 나아지지 않았습니다.</translation>
    </message>
    <message>
        <source>Restored best weights from epoch {0}.</source>
        <translation>{0}번째 에포크의 가장 좋은 가중치로 되돌렸습니다.</translation>
    </message>
    <message>
        <source>Done: {0} epoch(s), best epoch {1} (cancelled)</source>
        <translation>완료: 에포크 {0}번, 가장 좋은 에포크 {1} (취소됨)</translation>
    </message>
    <message>
        <source>Done: {0} epoch(s), best epoch {1}</source>
        <translation>완료: 에포크 {0}번, 가장 좋은 에포크 {1}</translation>
    </message>
    <message>
        <source>Test accuracy: {0:.4f} on {1:,} samples</source>
        <translation>테스트 정확도: {0:.4f} (샘플 {1:,}개)</translation>
    </message>
    <message>
        <source>cancelled, kept</source>
        <translation>취소했지만 남김</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>조기 종료</translation>
    </message>
    <message>
        <source>all epochs</source>
        <translation>모든 에포크</translation>
    </message>
    <message>
        <source>Saved: {0}</source>
        <translation>저장함: {0}</translation>
    </message>
    <message>
        <source>Finished. Use the model, or save a copy elsewhere.</source>
        <translation>끝났습니다. 모델을 사용하거나 다른 곳에 사본을 저장하세요.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Error: {0}</source>
        <translation>오류: {0}</translation>
    </message>
    <message>
        <source>Training failed.</source>
        <translation>학습에 실패했습니다.</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>The dataset is needed first: download it on the left.</source>
        <translation>먼저 데이터셋이 필요합니다: 왼쪽에서 내려받으세요.</translation>
    </message>
    <message>
        <source>{0} downloaded. Press Start to train.</source>
        <translation>{0} 데이터셋을 내려받았습니다. 시작을 누르면 학습합니다.</translation>
    </message>
    <message>
        <source>Saved a copy: {0} (+ {1})</source>
        <translation>사본을 저장했습니다: {0} (+ {1})</translation>
    </message>
    <message>
        <source>Building {0} to list its layers…</source>
        <translation>층 목록을 보여 주려고 {0} 모델을 만드는 중…</translation>
    </message>
</context>
<context>
    <name>TrainWorker</name>
    <message>
        <source>Cancelled while reading the images. Nothing was saved.</source>
        <translation>이미지를 읽는 중에 취소했습니다. 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <source>Cancelled before training started. Nothing was saved.</source>
        <translation>학습이 시작되기 전에 취소했습니다. 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <source>Training was cancelled before the first epoch ended. Nothing was saved.</source>
        <translation>첫 에포크가 끝나기 전에 학습을 취소했습니다. 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <source>Training was stopped because the window closed.</source>
        <translation>창이 닫혀서 학습을 멈췄습니다.</translation>
    </message>
    <message>
        <source>This dataset cannot be used: {0}</source>
        <translation>이 데이터셋은 쓸 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Training could not run: {0}</source>
        <translation>학습을 실행할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Training failed unexpectedly: {0}: {1}</source>
        <translation>학습이 예기치 않게 실패했습니다: {0}: {1}</translation>
    </message>
    <message>
        <source>the models folder</source>
        <translation>모델 폴더</translation>
    </message>
    <message>
        <source>Could not write the model to {0}: {1}. Nothing was overwritten; free some disk space or check the folder&apos;s permissions, then train again.</source>
        <translation>모델을 {0}에 쓸 수 없습니다: {1}. 덮어쓴 것은 없습니다. 디스크 공간을 확보하거나 폴더 권한을 확인한 뒤 다시 학습하세요.</translation>
    </message>
</context>
<context>
    <name>TrainingPage</name>
    <message>
        <source>Choose the data and press Start.</source>
        <translation>데이터를 고르고 시작을 누르세요.</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>시작 전</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Training {architecture} on {dataset}: up to {epochs} epochs, batch {batch}, learning rate {rate:g}, validation {validation:.0%}, patience {patience}, seed {seed}</source>
        <translation>{architecture} 학습 (데이터: {dataset}): 최대 에포크 {epochs}, 배치 {batch}, 학습률 {rate:g}, 검증 {validation:.0%}, 조기 종료 대기 {patience}, 시드 {seed}</translation>
    </message>
    <message>
        <source>, images augmented like real input</source>
        <translation>, 실제 입력처럼 이미지 증강</translation>
    </message>
    <message>
        <source>, learning rate cut when stuck</source>
        <translation>, 막히면 학습률 낮춤</translation>
    </message>
    <message>
        <source>, learning rate lowered along a cosine</source>
        <translation>, 코사인을 따라 학습률 낮춤</translation>
    </message>
    <message>
        <source>, fine-tuning {0}</source>
        <translation>, {0} 미세 조정</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · {share:.0%} of epoch · ETA {eta}</source>
        <translation>에포크 {epoch}/{epochs} · 에포크의 {share:.0%} · 남은 시간 {eta}</translation>
    </message>
    <message>
        <source>  val_loss improved: best epoch is now {0}, checkpoint saved</source>
        <translation>  검증 손실 개선: 이제 가장 좋은 에포크는 {0}, 체크포인트 저장</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>training (per batch)</source>
        <translation>학습 (배치마다)</translation>
    </message>
    <message>
        <source>training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>best (checkpoint)</source>
        <translation>최고 (체크포인트)</translation>
    </message>
</context>
<context>
    <name>classes</name>
    <message>
        <source>T-shirt/top</source>
        <translation>티셔츠/탑</translation>
    </message>
    <message>
        <source>Trouser</source>
        <translation>바지</translation>
    </message>
    <message>
        <source>Pullover</source>
        <translation>풀오버</translation>
    </message>
    <message>
        <source>Dress</source>
        <translation>원피스</translation>
    </message>
    <message>
        <source>Coat</source>
        <translation>코트</translation>
    </message>
    <message>
        <source>Sandal</source>
        <translation>샌들</translation>
    </message>
    <message>
        <source>Shirt</source>
        <translation>셔츠</translation>
    </message>
    <message>
        <source>Sneaker</source>
        <translation>운동화</translation>
    </message>
    <message>
        <source>Bag</source>
        <translation>가방</translation>
    </message>
    <message>
        <source>Ankle boot</source>
        <translation>앵클 부츠</translation>
    </message>
</context>
<context>
    <name>doing</name>
    <message>
        <source>keep the example</source>
        <translation>예제를 저장할</translation>
    </message>
    <message>
        <source>read the examples</source>
        <translation>예제를 읽을</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>삭제할</translation>
    </message>
    <message>
        <source>move</source>
        <translation>옮길</translation>
    </message>
    <message>
        <source>import examples</source>
        <translation>예제를 가져올</translation>
    </message>
    <message>
        <source>export</source>
        <translation>내보낼</translation>
    </message>
    <message>
        <source>create the folder</source>
        <translation>폴더를 만들</translation>
    </message>
    <message>
        <source>create the mode</source>
        <translation>모드를 만들</translation>
    </message>
</context>
<context>
    <name>image_source</name>
    <message>
        <source>{0} holds an empty image</source>
        <translation>{0}에 든 이미지가 비어 있습니다</translation>
    </message>
    <message>
        <source>{0} holds no image or image file</source>
        <translation>{0}에 이미지나 이미지 파일이 없습니다</translation>
    </message>
    <message>
        <source>cannot decode {0}: {1}</source>
        <translation>{0}의 이미지를 해독할 수 없습니다: {1}</translation>
    </message>
    <message>
        <source>{0} is fully transparent</source>
        <translation>{0}: 완전히 투명한 이미지입니다</translation>
    </message>
</context>
<context>
    <name>model_text</name>
    <message>
        <source>unknown architecture</source>
        <translation>알 수 없는 아키텍처</translation>
    </message>
    <message>
        <source>augmented</source>
        <translation>증강함</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>보정됨</translation>
    </message>
    <message>
        <source>not calibrated</source>
        <translation>보정 안 됨</translation>
    </message>
    <message>
        <source>{0}: trained on {1}</source>
        <translation>{0}: {1} 데이터로 학습</translation>
    </message>
    <message>
        <source>No metadata beside the model: how it was trained is unknown.</source>
        <translation>모델 옆에 메타데이터가 없어 어떻게 학습했는지 알 수 없습니다.</translation>
    </message>
    <message>
        <source>Architecture {0}: {1}.</source>
        <translation>아키텍처 {0}: {1}.</translation>
    </message>
    <message>
        <source>Architecture {0}.</source>
        <translation>아키텍처 {0}.</translation>
    </message>
    <message>
        <source>Architecture not recorded.</source>
        <translation>아키텍처가 기록되지 않았습니다.</translation>
    </message>
    <message>
        <source>Trained on images augmented like real input (scaled, rotated, thicker and thinner strokes, blurred, other contrast).</source>
        <translation>실제 입력처럼 증강한 이미지로 학습했습니다 (크기 조절, 회전, 더 굵거나 가는 획, 흐림, 다른 대비).</translation>
    </message>
    <message>
        <source>Trained on the images as the dataset has them (no augmentation).</source>
        <translation>데이터셋의 이미지 그대로 학습했습니다 (증강 없음).</translation>
    </message>
    <message>
        <source>Calibrated confidence (temperature {0}, fitted on the validation split): &quot;90 %&quot; means right about 9 times in 10.</source>
        <translation>보정된 확신도 (검증 데이터로 맞춘 온도 {0}): &quot;90 %&quot;는 10번에 9번쯤 맞는다는 뜻입니다.</translation>
    </message>
    <message>
        <source>Confidence not calibrated: its percentages may be too sure.</source>
        <translation>확신도가 보정되지 않았습니다: 퍼센트가 실제보다 자신만만할 수 있습니다.</translation>
    </message>
    <message>
        <source>Test accuracy {0}.</source>
        <translation>테스트 정확도 {0}.</translation>
    </message>
    <message>
        <source>{0} classes</source>
        <translation>클래스 {0}개</translation>
    </message>
    <message>
        <source>test accuracy {0}</source>
        <translation>테스트 정확도 {0}</translation>
    </message>
    <message>
        <source>no metadata: assuming digits</source>
        <translation>메타데이터 없음: 숫자로 가정</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>모델:</translation>
    </message>
</context>
<context>
    <name>nouns</name>
    <message>
        <source>Draw a digit</source>
        <translation>숫자를 그려 보세요</translation>
    </message>
    <message>
        <source>Draw a garment</source>
        <translation>옷을 그려 보세요</translation>
    </message>
    <message>
        <source>Draw an image</source>
        <translation>그림을 그려 보세요</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>여기에 숫자를 그려 보세요</translation>
    </message>
    <message>
        <source>Draw a garment here</source>
        <translation>여기에 옷을 그려 보세요</translation>
    </message>
    <message>
        <source>Draw an image here</source>
        <translation>여기에 그림을 그려 보세요</translation>
    </message>
    <message>
        <source>Is it a digit it knows?</source>
        <translation>모델이 아는 숫자가 맞나요?</translation>
    </message>
    <message>
        <source>Is it a garment it knows?</source>
        <translation>모델이 아는 옷이 맞나요?</translation>
    </message>
    <message>
        <source>Is it an image it knows?</source>
        <translation>모델이 아는 그림이 맞나요?</translation>
    </message>
</context>
<context>
    <name>prediction_text</name>
    <message>
        <source>Unsure: the best guess has only {0} %.</source>
        <translation>확실하지 않음: 가장 유력한 답도 {0} %뿐입니다.</translation>
    </message>
</context>
<context>
    <name>remembered_models</name>
    <message>
        <source>The {mode} model used last ({path}) is gone; using the bundled {mode} model.</source>
        <translation>지난번에 쓴 {mode} 모델({path})이 없어져서 기본 {mode} 모델을 씁니다.</translation>
    </message>
    <message>
        <source>The {mode} model used last cannot be used ({reason}); using the bundled {mode} model.</source>
        <translation>지난번에 쓴 {mode} 모델을 쓸 수 없어서({reason}) 기본 {mode} 모델을 씁니다.</translation>
    </message>
    <message>
        <source>digits</source>
        <translation>숫자</translation>
    </message>
    <message>
        <source>garments</source>
        <translation>옷</translation>
    </message>
</context>
<context>
    <name>training</name>
    <message>
        <source>Digits (MNIST)</source>
        <translation>숫자 (MNIST)</translation>
    </message>
    <message>
        <source>Garments (Fashion-MNIST)</source>
        <translation>옷 (Fashion-MNIST)</translation>
    </message>
    <message>
        <source>The Keras tutorial CNN: 2 conv + pool blocks, Dense(100), Dropout(0.4)</source>
        <translation>Keras 튜토리얼의 CNN: 합성곱+풀링 블록 2개, Dense(100), Dropout(0.4)</translation>
    </message>
    <message>
        <source>Stronger and faster: 3 strided conv + batch-norm blocks (32/64/128), Dense(128), dropout</source>
        <translation>더 강하고 빠름: 스트라이드 합성곱+배치 정규화 블록 3개 (32/64/128), Dense(128), 드롭아웃</translation>
    </message>
    <message>
        <source>sketch-cnn with 1.5x the filters (48/96/192) and less dropout: more accurate, a little slower to train</source>
        <translation>sketch-cnn의 필터를 1.5배(48/96/192)로 늘리고 드롭아웃을 줄인 모델: 더 정확하지만 학습이 조금 더 느립니다</translation>
    </message>
    <message>
        <source>Five conv + batch-norm blocks (32/32/64/64/128), the first at full resolution, Dense(128), dropout: sees thin details, slower to train</source>
        <translation>합성곱 + 배치 정규화 블록 5개(32/32/64/64/128, 첫 블록은 원래 해상도), Dense(128), 드롭아웃: 가는 선까지 보지만 학습이 더 느립니다</translation>
    </message>
    <message>
        <source>Digit-like: the ink fitted into 20 px, centred by its mass (MNIST)</source>
        <translation>숫자처럼: 잉크를 20 픽셀 안에 맞추고 무게중심으로 가운데 정렬 (MNIST)</translation>
    </message>
    <message>
        <source>Object-like: the whole shape fitted into 28 px, centred (Fashion-MNIST)</source>
        <translation>물체처럼: 전체 모양을 28 픽셀에 맞추고 가운데 정렬 (Fashion-MNIST)</translation>
    </message>
    <message>
        <source>This is the slim build of Sketch Classifier: it classifies, but training, evaluating and exporting models need TensorFlow, which only the full build (sketch-classifier, from `make package`) or a source install (`make run`) has.</source>
        <translation>스케치 분류기의 경량 빌드입니다. 분류는 되지만, 모델 학습·평가·내보내기에는 TensorFlow가 필요하고, TensorFlow는 전체 빌드(`make package`로 만든 sketch-classifier)나 소스 설치(`make run`)에만 있습니다.</translation>
    </message>
    <message>
        <source>Reading the images in {folder}…</source>
        <translation>{folder}의 이미지를 읽는 중…</translation>
    </message>
    <message>
        <source>Loading {title}…</source>
        <translation>{title} 불러오는 중…</translation>
    </message>
    <message>
        <source>Evaluating on {count} test images…</source>
        <translation>테스트 이미지 {count}장으로 평가하는 중…</translation>
    </message>
    <message>
        <source>Starting TensorFlow and building the model…</source>
        <translation>TensorFlow를 시작하고 모델을 만드는 중…</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>학습하는 중…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>저장하는 중…</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} - {seconds}s - loss: {loss} - accuracy: {accuracy} - val_loss: {val_loss} - val_accuracy: {val_accuracy}</source>
        <translation>에포크 {epoch}/{epochs} - {seconds}초 - 손실: {loss} - 정확도: {accuracy} - 검증 손실: {val_loss} - 검증 정확도: {val_accuracy}</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} - {seconds}s - loss: {loss} - accuracy: {accuracy} - val_loss: {val_loss} - val_accuracy: {val_accuracy} (best)</source>
        <translation>에포크 {epoch}/{epochs} - {seconds}초 - 손실: {loss} - 정확도: {accuracy} - 검증 손실: {val_loss} - 검증 정확도: {val_accuracy} (최고)</translation>
    </message>
    <message>
        <source>{title} was not found. Looked in:
{places}
To get it: {how}</source>
        <translation>{title} 데이터셋을 찾지 못했습니다. 찾아본 곳:
{places}
구하는 방법: {how}</translation>
    </message>
    <message>
        <source>{place} is unusable: {reason}</source>
        <translation>{place}의 데이터를 쓸 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>파일이 없습니다</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>권한이 없습니다</translation>
    </message>
    <message>
        <source>cannot read file ({reason})</source>
        <translation>파일을 읽을 수 없습니다 ({reason})</translation>
    </message>
    <message>
        <source>is a directory</source>
        <translation>폴더입니다</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>일반 파일이 아닙니다</translation>
    </message>
    <message>
        <source>empty file (0 bytes)</source>
        <translation>빈 파일입니다 (0바이트)</translation>
    </message>
    <message>
        <source>SVG images are not supported; export it as PNG</source>
        <translation>SVG 이미지는 지원하지 않습니다. PNG로 내보내 주세요</translation>
    </message>
    <message>
        <source>not an image this app can read</source>
        <translation>이 앱이 읽을 수 있는 이미지가 아닙니다</translation>
    </message>
    <message>
        <source>image too large: {size} (limit {limit})</source>
        <translation>이미지가 너무 큽니다: {size} (한도 {limit})</translation>
    </message>
    <message>
        <source>image is truncated or corrupt</source>
        <translation>이미지가 잘렸거나 손상되었습니다</translation>
    </message>
    <message>
        <source>image is blank (fully transparent)</source>
        <translation>이미지가 비어 있습니다 (완전히 투명)</translation>
    </message>
    <message>
        <source>image contains NaN or infinite values</source>
        <translation>이미지에 NaN이나 무한대 값이 있습니다</translation>
    </message>
    <message>
        <source>image is empty (shape {shape})</source>
        <translation>이미지가 비어 있습니다 (모양 {shape})</translation>
    </message>
    <message>
        <source>Cannot {doing} in {folder}: {reason}. Choose another data folder (set XDG_DATA_HOME) or free the disk, then try again.</source>
        <translation>{folder}에서 {doing} 수 없습니다: {reason}. 다른 데이터 폴더를 고르거나(XDG_DATA_HOME 설정) 디스크 공간을 확보한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>디스크가 읽기 전용입니다</translation>
    </message>
    <message>
        <source>you have no permission to write there</source>
        <translation>그곳에 쓸 권한이 없습니다</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>your disk quota is used up</source>
        <translation>디스크 할당량을 다 썼습니다</translation>
    </message>
    <message>
        <source>a file is in the way of the folder</source>
        <translation>폴더가 있어야 할 자리에 파일이 있습니다</translation>
    </message>
    <message>
        <source>too many files named {stem} in {folder}</source>
        <translation>{folder}에 이름이 {stem}인 파일이 너무 많습니다</translation>
    </message>
    <message>
        <source>a class name cannot be empty</source>
        <translation>클래스 이름은 비워 둘 수 없습니다</translation>
    </message>
    <message>
        <source>the class name {name}… is longer than {limit} characters</source>
        <translation>클래스 이름이 {limit}자보다 깁니다: {name}…</translation>
    </message>
    <message>
        <source>the class name {name} cannot start with a dot</source>
        <translation>클래스 이름은 점(.)으로 시작할 수 없습니다: {name}</translation>
    </message>
    <message>
        <source>the class name {name} cannot contain {char}</source>
        <translation>클래스 이름에는 {char} 문자를 쓸 수 없습니다: {name}</translation>
    </message>
    <message>
        <source>a mode name cannot be empty</source>
        <translation>모드 이름은 비워 둘 수 없습니다</translation>
    </message>
    <message>
        <source>the mode name {name}… is longer than {limit} characters</source>
        <translation>모드 이름이 {limit}자보다 깁니다: {name}…</translation>
    </message>
    <message>
        <source>the mode name {name} cannot start with a dot</source>
        <translation>모드 이름은 점(.)으로 시작할 수 없습니다: {name}</translation>
    </message>
    <message>
        <source>the mode name {name} cannot contain {char}</source>
        <translation>모드 이름에는 {char} 문자를 쓸 수 없습니다: {name}</translation>
    </message>
    <message>
        <source>{file}: not a readable image ({error})</source>
        <translation>{file}: 읽을 수 있는 이미지가 아닙니다 ({error})</translation>
    </message>
    <message>
        <source>{file}: not an image in a class folder</source>
        <translation>{file}: 클래스 폴더 안에 든 이미지가 아닙니다</translation>
    </message>
    <message>
        <source>{file}: refused, it points outside the folder</source>
        <translation>{file}: 폴더 바깥을 가리키므로 거부했습니다</translation>
    </message>
    <message>
        <source>{file}: larger than {size} MB</source>
        <translation>{file}: {size} MB보다 큽니다</translation>
    </message>
    <message>
        <source>Cannot import {source}: it does not exist</source>
        <translation>{source}에서 가져올 수 없습니다: 그런 경로가 없습니다</translation>
    </message>
    <message>
        <source>Cannot read {source}: {reason}</source>
        <translation>{source}에서 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>{path} exists already; choose a new name</source>
        <translation>{path}: 이미 있는 파일입니다. 새 이름을 고르세요</translation>
    </message>
    <message>
        <source>{path} exists and is not empty; choose a new folder</source>
        <translation>{path}: 이미 있고 비어 있지 않습니다. 새 폴더를 고르세요</translation>
    </message>
    <message>
        <source>{name} is a built-in mode; choose another name</source>
        <translation>{name}: 기본 제공 모드의 이름입니다. 다른 이름을 고르세요</translation>
    </message>
    <message>
        <source>a mode needs {low} to {high} classes (got {count})</source>
        <translation>모드에는 클래스가 {low}~{high}개 있어야 합니다 (지금 {count}개)</translation>
    </message>
    <message>
        <source>each class needs its own name: {names} repeats</source>
        <translation>클래스마다 이름이 달라야 합니다: {names} 이름이 겹칩니다</translation>
    </message>
    <message>
        <source>the classes cannot be called both &apos;train&apos; and &apos;test&apos;</source>
        <translation>클래스 이름으로 &apos;train&apos;과 &apos;test&apos;를 함께 쓸 수는 없습니다</translation>
    </message>
    <message>
        <source>unknown recipe {recipe}</source>
        <translation>알 수 없는 전처리 방식: {recipe}</translation>
    </message>
    <message>
        <source>a mode named {title} exists already</source>
        <translation>이름이 {title}인 모드가 이미 있습니다</translation>
    </message>
    <message>
        <source>{path} is too large for a mode file</source>
        <translation>{path}: 모드 파일이라기에는 너무 큽니다</translation>
    </message>
    <message>
        <source>{path} cannot be read: {reason}</source>
        <translation>{path}: 읽을 수 없습니다 ({reason})</translation>
    </message>
    <message>
        <source>{path} is not a mode file (no class_names list)</source>
        <translation>{path}: 모드 파일이 아닙니다 (class_names 목록이 없음)</translation>
    </message>
    <message>
        <source>{path}: title, recipe and class names must be text</source>
        <translation>{path}: 제목, 전처리 방식, 클래스 이름은 모두 텍스트여야 합니다</translation>
    </message>
    <message>
        <source>{path}: model must be a path or null</source>
        <translation>{path}: &quot;model&quot; 값은 경로나 null이어야 합니다</translation>
    </message>
    <message>
        <source>{path}: its title {title} does not match the file name</source>
        <translation>{path}: 제목({title})이 파일 이름과 맞지 않습니다</translation>
    </message>
    <message>
        <source>This model has no convolution layers to show: saliency only.</source>
        <translation>이 모델에는 보여 줄 합성곱 층이 없습니다. 중요도만 볼 수 있습니다.</translation>
    </message>
</context>
</TS>
